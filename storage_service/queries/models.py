"""Stored Rasa models' metadata and tags; the archives themselves are files (storage_service/model_store.py)."""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage_service.model_archive import ModelMetadata
from storage_service.models import ModelTag, StoredModel
from storage_service.queries.errors import AlreadyExists, InvalidRequest, NotFound
from storage_service.queries.upsert import insert_for

_TAG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}", re.ASCII)


class ModelNotFound(NotFound):
    def __init__(self, name: str = "", tag: str = "") -> None:
        super().__init__(f"no model {name!r}" if name else f"no model has the tag {tag!r}")


@dataclass(frozen=True)
class ModelRecord:
    """A stored model: what its archive's metadata.json says, its sha256, size, upload time and tags (sorted)."""

    name: str
    hash: str
    size_bytes: int
    trained_at: float
    rasa_version: str
    model_id: str
    assistant_id: str
    uploaded_at: float
    tags: list[str]


def require_unused_name(session: Session, name: str) -> None:
    """AlreadyExists when a model has `name`."""
    if session.get(StoredModel, name) is not None:
        raise AlreadyExists(f"model {name!r} already exists")


def add_model(
    session: Session, name: str, sha256: str, size_bytes: int, metadata: ModelMetadata, place_file: Callable[[], None]
) -> ModelRecord:
    """Insert the model's row, then call `place_file` to put its archive in place, both before the commit.

    Holding the new primary key while the file is placed means no other upload of the same name gets that far,
    and a failure to place the file rolls the row back: there is never a row without its file.
    """
    try:
        session.execute(
            insert(StoredModel).values(
                name=name,
                hash=sha256,
                size_bytes=size_bytes,
                trained_at=metadata.trained_at,
                rasa_version=metadata.rasa_version,
                model_id=metadata.model_id,
                assistant_id=metadata.assistant_id,
                uploaded_at=time.time(),
            )
        )
    except IntegrityError as error:  # stored concurrently since the caller looked
        raise AlreadyExists(f"model {name!r} already exists") from error
    place_file()
    return get_model(session, name=name)


def has_model(session: Session, name: str, sha256: str) -> bool:
    """Whether the model `name` is stored with this archive hash."""
    return session.scalar(select(StoredModel.hash).where(StoredModel.name == name)) == sha256


def list_models(session: Session, limit: int, offset: int, tag: str = "") -> tuple[list[ModelRecord], int]:
    """A page of models, newest upload first (only the one having `tag` when set), and how many there are."""
    query = select(StoredModel)
    if tag:
        query = query.join(ModelTag, ModelTag.model_name == StoredModel.name).where(ModelTag.tag == tag)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(StoredModel.uploaded_at.desc(), StoredModel.name).limit(limit).offset(offset)
    ).all()
    return _records(session, rows), total


def get_model(session: Session, name: str = "", tag: str = "") -> ModelRecord:
    """The model called `name`, or else the one having `tag`."""
    if name:
        row = session.get(StoredModel, name)
    elif tag:
        row = session.scalar(
            select(StoredModel).join(ModelTag, ModelTag.model_name == StoredModel.name).where(ModelTag.tag == tag)
        )
    else:
        raise InvalidRequest("name or tag is required")
    if row is None:
        raise ModelNotFound(name, tag)
    return _records(session, [row])[0]


def delete_model(session: Session, name: str) -> None:
    """Delete the model's row and its tags (the caller removes the file once this has committed)."""
    result = session.connection().execute(delete(StoredModel).where(StoredModel.name == name))
    if result.rowcount == 0:
        raise ModelNotFound(name)


def tag_model(session: Session, name: str, tag: str) -> ModelRecord:
    """Put `tag` on the model, taking it from whichever model had it."""
    if not _TAG.fullmatch(tag):
        raise InvalidRequest(
            f"tag {tag!r} is not allowed: 1 to 100 of A-Z a-z 0-9 . _ - starting with a letter or digit"
        )
    if session.get(StoredModel, name) is None:
        raise ModelNotFound(name)
    statement = insert_for(session, ModelTag).values(tag=tag, model_name=name)
    try:
        session.execute(statement.on_conflict_do_update(index_elements=[ModelTag.tag], set_={"model_name": name}))
    except IntegrityError as error:  # the model was deleted concurrently
        raise ModelNotFound(name) from error
    return get_model(session, name=name)


def untag_model(session: Session, name: str, tag: str) -> None:
    """Take `tag` from the model; NotFound when the model does not have it."""
    result = session.connection().execute(delete(ModelTag).where(ModelTag.tag == tag, ModelTag.model_name == name))
    if result.rowcount == 0:
        raise NotFound(f"model {name!r} does not have the tag {tag!r}")


def _records(session: Session, rows: Sequence[StoredModel]) -> list[ModelRecord]:
    tags: dict[str, list[str]] = defaultdict(list)
    names = [row.name for row in rows]
    if names:
        for model_name, tag in session.execute(
            select(ModelTag.model_name, ModelTag.tag).where(ModelTag.model_name.in_(names)).order_by(ModelTag.tag)
        ):
            tags[model_name].append(tag)
    return [
        ModelRecord(
            name=row.name,
            hash=row.hash,
            size_bytes=row.size_bytes,
            trained_at=row.trained_at or 0.0,
            rasa_version=row.rasa_version,
            model_id=row.model_id or "",
            assistant_id=row.assistant_id or "",
            uploaded_at=row.uploaded_at,
            tags=tags[row.name],
        )
        for row in rows
    ]
