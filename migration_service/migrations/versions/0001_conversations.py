"""Conversations, their events and attributes, the NLU inbox, ingestion checkpoints.

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
        sa.Column("minimum_action_confidence", DOUBLE),
        sa.Column("maximum_action_confidence", DOUBLE),
        sa.Column("minimum_intent_confidence", DOUBLE),
        sa.Column("maximum_intent_confidence", DOUBLE),
        sa.Column("has_flagged_messages", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("interactive", sa.Boolean(), nullable=False, server_default=sa.false()),
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
        sa.Column("policy", sa.Text()),
        sa.Column("confidence", DOUBLE),
        sa.Column("rasa_environment", sa.Text(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
    )
    op.create_index("ix_conversation_event_sender_timestamp", "conversation_event", ["sender_id", "timestamp", "id"])
    op.create_table(
        "conversation_attribute",
        sa.Column(
            "sender_id", sa.Text(), sa.ForeignKey("conversation.sender_id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("value", sa.Text(), primary_key=True),
    )
    op.create_index("ix_conversation_attribute_kind_value", "conversation_attribute", ["kind", "value"])
    op.create_table(
        "message_log",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("hash", sa.String(32), nullable=False, unique=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("intent", sa.Text()),
        sa.Column("confidence", DOUBLE),
        sa.Column("user_input", sa.Text(), nullable=False),
        sa.Column("conversation_id", sa.Text(), nullable=False),
        sa.Column("event_id", sa.BigInteger(), nullable=False),
        sa.Column("time", DOUBLE, nullable=False),
        sa.Column("model", sa.Text()),
    )
    op.create_index("ix_message_log_time", "message_log", ["time"])
    op.create_table(
        "ingestion_checkpoint",
        sa.Column("source", sa.Text(), primary_key=True),
        sa.Column("position", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    for table in ("ingestion_checkpoint", "message_log", "conversation_attribute", "conversation_event"):
        op.drop_table(table)
    op.drop_table("conversation")
