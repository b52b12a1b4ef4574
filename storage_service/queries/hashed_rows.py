"""Rows kept once per distinct text and named either by id or by the md5 of the text (Rasa X's hash)."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage_service.models import MessageLog, TrainingExample
from storage_service.queries.errors import InvalidRequest, NotFound

HashedRow = TypeVar("HashedRow", MessageLog, TrainingExample)


def by_id_or_hash(
    session: Session, model: type[HashedRow], what: str, row_id: int | None, row_hash: str | None
) -> HashedRow:
    """The `model` row with this id, or else with this text hash; NotFound naming `what` when there is none."""
    if row_id is not None:
        found = session.get(model, row_id)
        if found is None:
            raise NotFound(f"no {what} with id {row_id}")
        return found
    if row_hash is None:
        raise InvalidRequest(f"name the {what} by id or by hash")
    row = session.scalar(select(model).where(model.hash == row_hash.lower()))
    if row is None:
        raise NotFound(f"no {what} with hash {row_hash!r}")
    return row
