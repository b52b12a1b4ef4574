"""Review: review status, tags, flags, intent corrections, message texts; users and roles.

Revision ID: 0002_review
Revises: 0001_conversations
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_review"
down_revision: str | None = "0001_conversations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
DOUBLE = sa.Float(precision=53)


def upgrade() -> None:
    with op.batch_alter_table("conversation") as table:
        table.add_column(sa.Column("number_bot_messages", sa.Integer(), nullable=False, server_default=sa.text("0")))
        table.add_column(sa.Column("review_status", sa.String(16), nullable=False, server_default=sa.text("'unread'")))
        table.add_column(sa.Column("in_training_data", sa.Boolean(), nullable=False, server_default=sa.false()))
        table.add_column(sa.Column("created_by", sa.Text()))
    with op.batch_alter_table("conversation_event") as table:
        table.add_column(sa.Column("text", sa.Text()))
        table.add_column(sa.Column("is_flagged", sa.Boolean(), nullable=False, server_default=sa.false()))
    _backfill()

    op.create_table(
        "conversation_tag",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("value", sa.Text(), nullable=False, unique=True),
        sa.Column("color", sa.String(6), nullable=False),
    )
    op.create_table(
        "conversation_tag_assignment",
        sa.Column(
            "sender_id", sa.Text(), sa.ForeignKey("conversation.sender_id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column(
            "tag_id", sa.BigInteger(), sa.ForeignKey("conversation_tag.id", ondelete="CASCADE"), primary_key=True
        ),
    )
    op.create_index("ix_conversation_tag_assignment_tag_id", "conversation_tag_assignment", ["tag_id"])
    op.create_table(
        "message_correction",
        sa.Column(
            "sender_id", sa.Text(), sa.ForeignKey("conversation.sender_id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("message_timestamp", DOUBLE, primary_key=True),
        sa.Column("intent", sa.Text(), nullable=False),
        sa.Column("mapped_to", sa.Text()),
        sa.Column("user_goal", sa.Text()),
    )
    op.create_table(
        "app_user",
        sa.Column("username", sa.Text(), primary_key=True),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("api_token", sa.String(64), nullable=False, unique=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("created_at", DOUBLE, nullable=False),
    )
    op.create_table(
        "role",
        sa.Column("name", sa.Text(), primary_key=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("grants", sa.Text(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "user_role",
        sa.Column(
            "username",
            sa.Text(),
            sa.ForeignKey("app_user.username", ondelete="CASCADE", onupdate="CASCADE"),
            primary_key=True,
        ),
        sa.Column("role", sa.Text(), sa.ForeignKey("role.name", ondelete="CASCADE"), primary_key=True),
    )
    op.create_index("ix_user_role_role", "user_role", ["role"])


def _backfill() -> None:
    """Fill the new columns for what was stored before this revision."""
    json_text = (
        "json_extract(data, '$.text')" if op.get_bind().dialect.name == "sqlite" else "CAST(data AS json) ->> 'text'"
    )
    op.execute(f"UPDATE conversation_event SET text = {json_text} WHERE type_name = 'user'")
    op.execute(
        "UPDATE conversation SET number_bot_messages = (SELECT count(*) FROM conversation_event e"
        " WHERE e.sender_id = conversation.sender_id AND e.type_name = 'bot')"
    )


def downgrade() -> None:
    for name in ("user_role", "role", "app_user", "message_correction", "conversation_tag_assignment"):
        op.drop_table(name)
    op.drop_table("conversation_tag")
    with op.batch_alter_table("conversation_event") as table:
        table.drop_column("is_flagged")
        table.drop_column("text")
    with op.batch_alter_table("conversation") as table:
        for column in ("created_by", "in_training_data", "review_status", "number_bot_messages"):
            table.drop_column(column)
