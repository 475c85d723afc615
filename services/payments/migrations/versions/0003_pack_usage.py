"""What payments knows of each pack's use (pro-rata refunds).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pack_usage",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("pack_id", sa.Uuid(), nullable=False),
        sa.Column("sessions_total", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("order_id", name="pk_pack_usage"),
        sa.UniqueConstraint("pack_id", name="uq_pack_usage_pack_id"),
        sa.CheckConstraint("sessions_total > 0", name="ck_pack_usage_total_positive"),
    )
    op.create_table(
        "session_credits",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("pack_id", sa.Uuid()),
        sa.Column("consumed", sa.Boolean(), nullable=False, server_default="false"),
        sa.PrimaryKeyConstraint("session_id", name="pk_session_credits"),
    )
    op.create_index("ix_session_credits_pack_id", "session_credits", ["pack_id"])


def downgrade() -> None:
    op.drop_table("session_credits")
    op.drop_table("pack_usage")
