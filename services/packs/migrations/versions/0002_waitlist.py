"""A mentor's waitlist: one open place per (student, mentor), in join order; offers are seats.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

OPEN = "status IN ('waiting', 'offered')"


def upgrade() -> None:
    op.create_table(
        "waitlist_entries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("student_id", sa.String(100), nullable=False),
        sa.Column("mentor_id", sa.String(100), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("offer_id", sa.Uuid()),
        sa.Column("offer_seat_id", sa.Uuid()),
        sa.Column("offered_at", sa.DateTime(timezone=True)),
        sa.Column("offer_expires_at", sa.DateTime(timezone=True)),
        sa.Column("ended_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_waitlist_entries"),
        sa.UniqueConstraint("seq", name="uq_waitlist_entries_seq"),
        sa.UniqueConstraint("offer_id", name="uq_waitlist_entries_offer_id"),
        sa.UniqueConstraint("offer_seat_id", name="uq_waitlist_entries_offer_seat_id"),
        sa.ForeignKeyConstraint(
            ["offer_seat_id"], ["seats.id"], name="fk_waitlist_entries_offer_seat_id_seats"
        ),
        sa.CheckConstraint(
            "status IN ('waiting', 'offered', 'accepted', 'expired', 'left')",
            name="ck_waitlist_entries_status_known",
        ),
        sa.CheckConstraint(
            "status <> 'offered' OR (offer_id IS NOT NULL AND offer_seat_id IS NOT NULL "
            "AND offer_expires_at IS NOT NULL)",
            name="ck_waitlist_entries_offer_has_seat",
        ),
        sa.CheckConstraint(
            "status <> 'waiting' OR offer_seat_id IS NULL",
            name="ck_waitlist_entries_waiting_has_no_offer",
        ),
        sa.CheckConstraint(
            f"({OPEN}) = (ended_at IS NULL)", name="ck_waitlist_entries_ended_has_time"
        ),
    )
    op.create_index(
        "uq_waitlist_open_student_mentor",
        "waitlist_entries",
        ["student_id", "mentor_id"],
        unique=True,
        postgresql_where=sa.text(OPEN),
    )
    op.create_index(
        "ix_waitlist_mentor_open",
        "waitlist_entries",
        ["mentor_id", "seq"],
        postgresql_where=sa.text(OPEN),
    )


def downgrade() -> None:
    op.drop_table("waitlist_entries")
