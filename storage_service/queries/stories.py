"""Stories, rules and test stories: one row per Rasa 3 YAML block, its content kept as the block's JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from storage_service.models import Story
from storage_service.queries.errors import InvalidRequest, NotFound
from storage_service.rasa_yaml.stories import StoryBlock, StoryKindName, parse_story_yaml, render_block

# The file each kind is read from in a Rasa project; problems in YAML sent without a filename name it.
DEFAULT_FILES: dict[str, str] = {
    "story": "data/stories.yml",
    "rule": "data/rules.yml",
    "test": "tests/test_stories.yml",
}


@dataclass(frozen=True)
class StoryFilter:
    """Which stories to list, in the order they were created; a page of `limit` from `offset`."""

    limit: int
    offset: int = 0
    # None: every kind.
    kind: StoryKindName | None = None
    # Case-insensitive substring of the name or the block's YAML.
    query: str = ""
    # Only these ids; empty: any.
    ids: Sequence[int] = ()


def story_yaml(row: Story) -> str:
    """The stored block as Rasa 3 YAML."""
    return render_block(json.loads(row.content))


def list_stories(session: Session, story_filter: StoryFilter) -> tuple[list[Story], int]:
    """A page of the stories matching the filter, and how many match in all."""
    conditions: list[ColumnElement[bool]] = []
    if story_filter.kind is not None:
        conditions.append(Story.kind == story_filter.kind)
    if story_filter.ids:
        conditions.append(Story.id.in_(story_filter.ids))
    statement = select(Story).where(*conditions).order_by(Story.id)
    end = story_filter.offset + story_filter.limit
    if story_filter.query:
        # The YAML is rendered, not stored, so the text filter runs here; a project has thousands of blocks at most.
        needle = story_filter.query.casefold()
        matching = [
            row
            for row in session.scalars(statement)
            if needle in row.name.casefold() or needle in story_yaml(row).casefold()
        ]
        return matching[story_filter.offset : end], len(matching)
    total = session.scalar(select(func.count()).select_from(Story).where(*conditions)) or 0
    rows = session.scalars(statement.limit(story_filter.limit).offset(story_filter.offset)).all()
    return list(rows), total


def get_story(session: Session, story_id: int) -> Story:
    """The story with this id."""
    row = session.get(Story, story_id)
    if row is None:
        raise NotFound(f"no story with id {story_id}")
    return row


def create_stories(
    session: Session, kind: StoryKindName, text: str, filename: str, annotator: str | None, at: float
) -> list[Story]:
    """Store every block of the YAML `text` (at least one) as a new story of `kind`, in the order written."""
    blocks = parse_story_yaml(text, filename or DEFAULT_FILES[kind], kind)
    if not blocks:
        raise InvalidRequest(f"the YAML holds no {kind} blocks")
    rows = [_new_row(block, filename or None, annotator, at) for block in blocks]
    session.add_all(rows)
    session.flush()
    return rows


def update_story(session: Session, story_id: int, text: str, annotator: str | None, at: float) -> Story:
    """Replace the story with the one block of the YAML `text`, which must be of the story's kind."""
    row = get_story(session, story_id)
    kind: StoryKindName = row.kind  # type: ignore[assignment]
    blocks = parse_story_yaml(text, row.filename or DEFAULT_FILES[kind], kind)
    if len(blocks) != 1:
        raise InvalidRequest(f"the YAML must hold exactly one {kind} block, not {len(blocks)}")
    _set_block(row, blocks[0], annotator, at)
    session.flush()
    return row


def delete_stories(session: Session, story_ids: Sequence[int]) -> int:
    """Delete the stories with these ids; how many of them there were."""
    if not story_ids:
        raise InvalidRequest("name at least one story id")
    result = session.connection().execute(delete(Story).where(Story.id.in_(story_ids)))
    return result.rowcount


def replace_stories(session: Session, kind: StoryKindName, text: str, annotator: str | None, at: float) -> list[Story]:
    """Replace every story of `kind` with the blocks of the YAML `text` (none: delete them all)."""
    blocks = parse_story_yaml(text, DEFAULT_FILES[kind], kind)
    session.connection().execute(delete(Story).where(Story.kind == kind))
    rows = [_new_row(block, None, annotator, at) for block in blocks]
    session.add_all(rows)
    session.flush()
    return rows


def import_stories(
    session: Session,
    blocks: list[StoryBlock],
    replace_kinds: set[str],
    annotator: str | None,
    at: float,
    filename: str | None,
) -> None:
    """Store imported blocks: for each kind in `replace_kinds`, every stored story of that kind is deleted first;
    then a block whose (kind, name) is stored replaces that row (the oldest, if several), others are added."""
    if replace_kinds:
        session.connection().execute(delete(Story).where(Story.kind.in_(replace_kinds)))
    kinds = {block.kind for block in blocks}
    stored: dict[tuple[str, str], Story] = {}
    for old in session.scalars(select(Story).where(Story.kind.in_(kinds)).order_by(Story.id.desc())):
        stored[(old.kind, old.name)] = old
    for block in blocks:
        row = stored.get((block.kind, block.name))
        if row is None:
            row = stored[(block.kind, block.name)] = _new_row(block, filename, annotator, at)
            session.add(row)
        else:
            _set_block(row, block, annotator, at)
            if filename is not None:
                row.filename = filename
    session.flush()


def export_stories(session: Session, kind: StoryKindName) -> list[dict[str, Any]]:
    """The blocks of every story of `kind`, in the order they were created."""
    statement = select(Story.content).where(Story.kind == kind).order_by(Story.id)
    return [json.loads(content) for content in session.scalars(statement)]


def _new_row(block: StoryBlock, filename: str | None, annotator: str | None, at: float) -> Story:
    row = Story(kind=block.kind, filename=filename)
    _set_block(row, block, annotator, at)
    return row


def _set_block(row: Story, block: StoryBlock, annotator: str | None, at: float) -> None:
    row.name = block.name
    row.content = json.dumps(block.content, ensure_ascii=False)
    row.annotator = annotator
    row.annotated_at = at
