"""Password hashing with argon2id (RFC 9106); storage only ever sees the hash."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 8
# argon2 hashes any length, but hashing megabytes per request would be an easy way to load the gateway.
MAX_LENGTH = 1024

_hasher = PasswordHasher()


class WeakPassword(ValueError):
    """A new password Conversely refuses (the message says why)."""


def check_new_password(password: str) -> None:
    """Raise WeakPassword unless `password` may become a user's password."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"the password must have at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"the password must have at most {MAX_LENGTH} characters")


def hash_password(password: str) -> str:
    """An argon2id hash of `password` in PHC format, with a random salt."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether `password` matches `password_hash`; False for a hash that is not argon2."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def verify_nothing(password: str) -> None:
    """Spend the time a real verification takes, so a login for an unknown user is not told apart by its speed."""
    verify_password(_dummy_hash(), password)


@cache
def _dummy_hash() -> str:
    return hash_password("not a password of anyone")
