"""Models: trained Rasa model archives' metadata and their tags.

Revision ID: 0003_models
Revises: 0002_review
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_models"
down_revision: str | None = "0002_review"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DOUBLE = sa.Float(precision=53)


def upgrade() -> None:
    op.create_table(
        "model",
        sa.Column("name", sa.Text(), primary_key=True),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("trained_at", DOUBLE),
        sa.Column("rasa_version", sa.Text(), nullable=False),
        sa.Column("model_id", sa.Text()),
        sa.Column("assistant_id", sa.Text()),
        sa.Column("uploaded_at", DOUBLE, nullable=False),
    )
    op.create_index("ix_model_uploaded_at", "model", ["uploaded_at"])
    op.create_table(
        "model_tag",
        sa.Column("tag", sa.Text(), primary_key=True),
        sa.Column("model_name", sa.Text(), sa.ForeignKey("model.name", ondelete="CASCADE"), nullable=False),
    )
    op.create_index("ix_model_tag_model_name", "model_tag", ["model_name"])


def downgrade() -> None:
    op.drop_table("model_tag")
    op.drop_table("model")
