"""Training data: NLU examples, intents and user goals, synonyms, regexes, lookup tables, stories, rules, test
stories, responses, domain and config.

Revision ID: 0004_training_data
Revises: 0003_models
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_training_data"
down_revision: str | None = "0003_models"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
DOUBLE = sa.Float(precision=53)


def _id() -> sa.Column[int]:
    return sa.Column("id", BIG_ID, primary_key=True, autoincrement=True)


def _annotation() -> list[sa.Column[object]]:
    return [sa.Column("annotator", sa.Text()), sa.Column("annotated_at", DOUBLE)]


def upgrade() -> None:
    op.create_table(
        "training_example",
        _id(),
        sa.Column("hash", sa.String(32), nullable=False, unique=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("intent", sa.Text(), nullable=False),
        sa.Column("entities", sa.Text(), nullable=False),
        sa.Column("metadata", sa.Text()),
        *_annotation(),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_training_example_intent_text", "training_example", ["intent", "text"])
    op.create_table(
        "training_example_entity",
        sa.Column(
            "example_id",
            sa.BigInteger(),
            sa.ForeignKey("training_example.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("entity", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.create_index("ix_training_example_entity_entity", "training_example_entity", ["entity"])
    op.create_index("ix_training_example_entity_value", "training_example_entity", ["value"])
    op.create_table(
        "domain_intent",
        sa.Column("name", sa.Text(), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("properties", sa.Text()),
    )
    op.create_table("user_goal", sa.Column("name", sa.Text(), primary_key=True))
    op.create_table(
        "user_goal_intent",
        sa.Column("intent", sa.Text(), primary_key=True),
        sa.Column(
            "user_goal",
            sa.Text(),
            sa.ForeignKey("user_goal.name", ondelete="CASCADE", onupdate="CASCADE"),
            nullable=False,
        ),
    )
    op.create_index("ix_user_goal_intent_user_goal", "user_goal_intent", ["user_goal"])
    op.create_table(
        "domain_action",
        _id(),
        sa.Column("name", sa.Text(), nullable=False, unique=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("properties", sa.Text()),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "bot_response",
        _id(),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        *_annotation(),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_bot_response_name", "bot_response", ["name"])
    op.create_table(
        "project_document",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("content", sa.Text(), nullable=False),
    )
    op.create_table(
        "entity_synonym",
        _id(),
        sa.Column("reference", sa.Text(), nullable=False, unique=True),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "entity_synonym_value",
        _id(),
        sa.Column(
            "synonym_id", sa.BigInteger(), sa.ForeignKey("entity_synonym.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("value", sa.Text(), nullable=False, unique=True),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_entity_synonym_value_synonym_id", "entity_synonym_value", ["synonym_id"])
    op.create_table(
        "regex_feature",
        _id(),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("pattern", sa.Text(), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_regex_feature_name", "regex_feature", ["name"])
    op.create_table(
        "lookup_table",
        _id(),
        sa.Column("name", sa.Text(), nullable=False, unique=True),
        sa.Column("elements", sa.Text(), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "story",
        _id(),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("filename", sa.Text()),
        *_annotation(),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_story_kind_id", "story", ["kind", "id"])


def downgrade() -> None:
    for table in (
        "story",
        "lookup_table",
        "regex_feature",
        "entity_synonym_value",
        "entity_synonym",
        "project_document",
        "bot_response",
        "domain_action",
        "user_goal_intent",
        "user_goal",
        "domain_intent",
        "training_example_entity",
        "training_example",
    ):
        op.drop_table(table)
