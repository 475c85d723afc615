"""The instructor dashboard's projection of packs' facts: pack status, seats, capacity.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("student_packs", sa.Column("seat_id", sa.Uuid()))
    op.add_column(
        "student_packs",
        sa.Column("status", sa.String(20), nullable=False, server_default="active"),
    )
    op.add_column("student_packs", sa.Column("status_at", TZ))
    op.create_index("ix_student_packs_mentor_id", "student_packs", ["mentor_id"])
    op.create_table(
        "student_seats",
        sa.Column("seat_id", sa.Uuid(), nullable=False),
        sa.Column("student_id", sa.String(100), nullable=False),
        sa.Column("mentor_id", sa.String(100), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("grace_ends_at", TZ),
        sa.Column("status_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("seat_id", name="pk_student_seats"),
    )
    op.create_index("ix_student_seats_mentor_id", "student_seats", ["mentor_id"])
    op.create_table(
        "mentor_capacity",
        sa.Column("mentor_id", sa.String(100), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("live_seats", sa.Integer(), nullable=False),
        sa.Column("open_seats", sa.Integer(), nullable=False),
        sa.Column("status_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("mentor_id", name="pk_mentor_capacity"),
    )


def downgrade() -> None:
    op.drop_table("mentor_capacity")
    op.drop_index("ix_student_seats_mentor_id", table_name="student_seats")
    op.drop_table("student_seats")
    op.drop_index("ix_student_packs_mentor_id", table_name="student_packs")
    for column in ("status_at", "status", "seat_id"):
        op.drop_column("student_packs", column)
