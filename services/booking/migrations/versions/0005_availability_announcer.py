"""Availability is announced by a due job: when sessions changed, when it was last announced.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("mentors", sa.Column("availability_announced_at", sa.DateTime(timezone=True)))
    op.add_column(
        "sessions",
        sa.Column(
            "changed_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.text("now()"),
        ),
    )
    op.create_index("ix_sessions_changed_at", "sessions", ["changed_at"])


def downgrade() -> None:
    op.drop_index("ix_sessions_changed_at", table_name="sessions")
    op.drop_column("sessions", "changed_at")
    op.drop_column("mentors", "availability_announced_at")
