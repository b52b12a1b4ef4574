"""Rasa orchestration: the job queue (training, cross-validation) and the share-your-bot chat token.

Revision ID: 0005_orchestration
Revises: 0004_training_data
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_orchestration"
down_revision: str | None = "0004_training_data"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
DOUBLE = sa.Float(precision=53)


def upgrade() -> None:
    op.create_table(
        "job",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("environment", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.Text(), nullable=False),
        sa.Column("created_at", DOUBLE, nullable=False),
        sa.Column("started_at", DOUBLE),
        sa.Column("finished_at", DOUBLE),
        sa.Column("fingerprint", sa.Text()),
        sa.Column("model_name", sa.Text()),
        sa.Column("error", sa.Text()),
        sa.Column("result_json", sa.Text()),
        sa.Column("folds", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("callback_secret_sha256", sa.String(64)),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_job_state_environment", "job", ["state", "environment", "id"])
    # At most one running job per environment, whichever gateway starts it.
    op.create_index(
        "ux_job_running_environment",
        "job",
        ["environment"],
        unique=True,
        postgresql_where=sa.text("state = 'running'"),
        sqlite_where=sa.text("state = 'running'"),
    )
    op.create_table(
        "chat_token",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token", sa.Text(), nullable=False),
        sa.Column("bot_name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("expires", DOUBLE, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("chat_token")
    op.drop_index("ux_job_running_environment", "job")
    op.drop_index("ix_job_state_environment", "job")
    op.drop_table("job")
