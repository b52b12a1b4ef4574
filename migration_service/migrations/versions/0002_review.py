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
ATTRIBUTE_STATISTICS = "st_conversation_attribute_kind_value"


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
    _index_conversation_queries()

    op.create_table(
        "conversation_tag",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("value", sa.Text(), nullable=False, unique=True),
        sa.Column("color", sa.String(6), nullable=False),
        sqlite_autoincrement=True,
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


def _index_conversation_queries() -> None:
    """The indexes of the conversation list's filters (why: storage_service/models.py)."""
    op.drop_index("ix_conversation_attribute_kind_value", table_name="conversation_attribute")
    op.create_index(
        "ix_conversation_attribute_kind_value_sender",
        "conversation_attribute",
        ["kind", "value", "sender_id"],
        postgresql_ops={"value": "text_pattern_ops"},
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    # Kinds and values are far from independent (kind 'environment' and value 'production' both common, together
    # almost every conversation): without joint statistics the planner misjudges every attribute filter.
    op.execute(f"CREATE STATISTICS {ATTRIBUTE_STATISTICS} (mcv) ON kind, value FROM conversation_attribute")
    op.execute(f"ALTER STATISTICS {ATTRIBUTE_STATISTICS} SET STATISTICS 1000")
    op.execute(
        "CREATE INDEX ix_conversation_confidence_order ON conversation"
        " (coalesce(minimum_action_confidence, -1) DESC, latest_event_time DESC, sender_id)"
        " WHERE in_training_data IS false"
    )
    if _trigram_extension():
        op.execute(
            "CREATE INDEX ix_conversation_event_text_trgm ON conversation_event"
            " USING gin (lower(text) gin_trgm_ops) WHERE text IS NOT NULL"
        )


def _trigram_extension() -> bool:
    """Whether pg_trgm is there, creating it when this role may; without it the text filter scans instead."""
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first() is not None:
        return True
    if bind.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")).first() is None:
        return False
    try:
        with bind.begin_nested():  # a refused CREATE EXTENSION must not abort the migration's transaction
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError:
        return False
    return True


def _drop_conversation_query_indexes() -> None:
    op.execute("DROP INDEX IF EXISTS ix_conversation_event_text_trgm")
    op.execute("DROP INDEX IF EXISTS ix_conversation_confidence_order")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP STATISTICS IF EXISTS {ATTRIBUTE_STATISTICS}")
    op.drop_index("ix_conversation_attribute_kind_value_sender", table_name="conversation_attribute")
    op.create_index("ix_conversation_attribute_kind_value", "conversation_attribute", ["kind", "value"])


def downgrade() -> None:
    _drop_conversation_query_indexes()
    for name in ("user_role", "role", "app_user", "message_correction", "conversation_tag_assignment"):
        op.drop_table(name)
    op.drop_table("conversation_tag")
    with op.batch_alter_table("conversation_event") as table:
        table.drop_column("is_flagged")
        table.drop_column("text")
    with op.batch_alter_table("conversation") as table:
        for column in ("created_by", "in_training_data", "review_status", "number_bot_messages"):
            table.drop_column(column)
