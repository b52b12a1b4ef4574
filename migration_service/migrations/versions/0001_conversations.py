"""Conversations and their events.

Revision ID: 0001_conversations
Revises:
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_conversations"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
DOUBLE = sa.Float(precision=53)


def upgrade() -> None:
    op.create_table(
        "conversation",
        sa.Column("sender_id", sa.Text(), primary_key=True),
        sa.Column("latest_event_time", DOUBLE, nullable=False),
        sa.Column("latest_input_channel", sa.Text()),
        sa.Column("latest_user_event_time", DOUBLE),
        sa.Column("number_user_messages", sa.Integer(), nullable=False),
        sa.Column("number_events", sa.Integer(), nullable=False),
    )
    op.create_index("ix_conversation_latest_event_time", "conversation", ["latest_event_time"])
    op.create_table(
        "conversation_event",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("sender_id", sa.Text(), nullable=False),
        sa.Column("event_key", sa.String(32), nullable=False, unique=True),
        sa.Column("type_name", sa.Text(), nullable=False),
        sa.Column("timestamp", DOUBLE, nullable=False),
        sa.Column("intent_name", sa.Text()),
        sa.Column("action_name", sa.Text()),
        sa.Column("rasa_environment", sa.Text(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
    )
    op.create_index("ix_conversation_event_sender_timestamp", "conversation_event", ["sender_id", "timestamp", "id"])
    for table, column in (("conversation_intent", "intent"), ("conversation_action", "action")):
        op.create_table(
            table,
            sa.Column(
                "sender_id",
                sa.Text(),
                sa.ForeignKey("conversation.sender_id", ondelete="CASCADE"),
                primary_key=True,
            ),
            sa.Column(column, sa.Text(), primary_key=True),
        )
    op.create_table(
        "ingestion_checkpoint",
        sa.Column("source", sa.Text(), primary_key=True),
        sa.Column("position", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "ingestion_checkpoint",
        "conversation_action",
        "conversation_intent",
        "conversation_event",
        "conversation",
    ):
        op.drop_table(table)
