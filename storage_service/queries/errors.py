"""What a query can refuse; the gRPC handlers translate each into one status code."""

from __future__ import annotations


class NotFound(LookupError):
    """The named conversation, message, tag, user or role does not exist."""


class AlreadyExists(ValueError):
    """Creating something whose name is taken."""


class InvalidRequest(ValueError):
    """The request contradicts itself or the stored data (the message says how)."""


class FailedPrecondition(ValueError):
    """The stored data is not in the state the change needs (the message says what it is in)."""


class StillInUse(FailedPrecondition):
    """Deleting something other data still refers to (the message says what)."""
