"""Who changed training data and when: the annotation the gateway stamps on what it stores, and its JSON form."""

from __future__ import annotations

import time
from typing import Any

from starlette.requests import Request

from conversely.storage.v1 import training_data_pb2
from gateway.auth import principal


def annotation(request: Request) -> training_data_pb2.Annotation:
    """Who is changing training data now: the caller, at this moment."""
    return training_data_pb2.Annotation(user=principal(request).username, time=time.time())


def annotation_item(stored: training_data_pb2.Annotation) -> dict[str, Any]:
    """Rasa X's `annotation` of an item: {user, time}, each null when not recorded."""
    return {"user": stored.user or None, "time": stored.time or None}
