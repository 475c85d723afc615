"""Kernel tables, mentor capacity, seats and their holds, packs, credits.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

from shared.migrate import create_kernel_tables, drop_kernel_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

LIVE = sa.text("status IN ('held', 'active', 'grace')")


def _created_at() -> sa.Column:
    return sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    )


def upgrade() -> None:
    create_kernel_tables()
    op.create_table(
        "mentor_capacity",
        sa.Column("mentor_id", sa.String(100), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.PrimaryKeyConstraint("mentor_id", name="pk_mentor_capacity"),
        sa.CheckConstraint("capacity >= 0", name="ck_mentor_capacity_capacity_not_negative"),
    )
    op.create_table(
        "seats",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("student_id", sa.String(100), nullable=False),
        sa.Column("mentor_id", sa.String(100), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("held_until", sa.DateTime(timezone=True)),
        sa.Column("grace_ends_at", sa.DateTime(timezone=True)),
        sa.Column("grace_warning_sent_at", sa.DateTime(timezone=True)),
        sa.Column("activated_at", sa.DateTime(timezone=True)),
        sa.Column("released_at", sa.DateTime(timezone=True)),
        sa.Column("release_reason", sa.String(20)),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name="pk_seats"),
        sa.CheckConstraint(
            "status IN ('held', 'active', 'grace', 'released')", name="ck_seats_status_known"
        ),
        sa.CheckConstraint(
            "status <> 'held' OR held_until IS NOT NULL", name="ck_seats_held_has_deadline"
        ),
        sa.CheckConstraint(
            "status <> 'grace' OR grace_ends_at IS NOT NULL", name="ck_seats_grace_has_end"
        ),
        sa.CheckConstraint(
            "(status = 'released') = (released_at IS NOT NULL)", name="ck_seats_released_has_time"
        ),
    )
    op.create_index(
        "uq_seats_live_student_mentor",
        "seats",
        ["student_id", "mentor_id"],
        unique=True,
        postgresql_where=LIVE,
    )
    op.create_index("ix_seats_mentor_live", "seats", ["mentor_id"], postgresql_where=LIVE)
    op.create_index(
        "ix_seats_held_until", "seats", ["held_until"], postgresql_where=sa.text("status = 'held'")
    )
    op.create_index(
        "ix_seats_grace_ends_at",
        "seats",
        ["grace_ends_at"],
        postgresql_where=sa.text("status = 'grace'"),
    )
    op.create_table(
        "seat_holds",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("seat_id", sa.Uuid(), nullable=False),
        sa.Column("student_id", sa.String(100), nullable=False),
        sa.Column("mentor_id", sa.String(100), nullable=False),
        sa.Column("renewal", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("held_until", sa.DateTime(timezone=True)),
        _created_at(),
        sa.PrimaryKeyConstraint("order_id", name="pk_seat_holds"),
        sa.ForeignKeyConstraint(["seat_id"], ["seats.id"], name="fk_seat_holds_seat_id_seats"),
        sa.CheckConstraint(
            "status IN ('pending', 'paid', 'released', 'expired')",
            name="ck_seat_holds_status_known",
        ),
    )
    op.create_index("ix_seat_holds_seat_id", "seat_holds", ["seat_id"])
    op.create_table(
        "packs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("seat_id", sa.Uuid(), nullable=False),
        sa.Column("student_id", sa.String(100), nullable=False),
        sa.Column("mentor_id", sa.String(100), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("sessions_total", sa.Integer(), nullable=False),
        sa.Column("session_minutes", sa.Integer(), nullable=False),
        sa.Column("validity_days", sa.Integer(), nullable=False),
        sa.Column("sessions_used", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("sessions_reserved", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("purchased_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("depleted_at", sa.DateTime(timezone=True)),
        sa.Column("expired_at", sa.DateTime(timezone=True)),
        sa.Column("refunded_at", sa.DateTime(timezone=True)),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name="pk_packs"),
        sa.UniqueConstraint("order_id", name="uq_packs_order_id"),
        sa.ForeignKeyConstraint(["seat_id"], ["seats.id"], name="fk_packs_seat_id_seats"),
        sa.CheckConstraint(
            "status IN ('active', 'depleted', 'expired', 'refunded')", name="ck_packs_status_known"
        ),
        sa.CheckConstraint("sessions_total > 0", name="ck_packs_total_positive"),
        sa.CheckConstraint("session_minutes > 0", name="ck_packs_minutes_positive"),
        sa.CheckConstraint(
            "sessions_used >= 0 AND sessions_reserved >= 0", name="ck_packs_counts_not_negative"
        ),
        sa.CheckConstraint(
            "sessions_used + sessions_reserved <= sessions_total", name="ck_packs_credits_fit"
        ),
        sa.CheckConstraint(
            "status <> 'depleted' OR sessions_used = sessions_total", name="ck_packs_depleted_used"
        ),
    )
    op.create_index("ix_packs_seat_id", "packs", ["seat_id"])
    op.create_index("ix_packs_student_mentor", "packs", ["student_id", "mentor_id", "expires_at"])
    op.create_index(
        "ix_packs_active_expiry",
        "packs",
        ["expires_at"],
        postgresql_where=sa.text("status = 'active'"),
    )
    op.create_table(
        "credits",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("pack_id", sa.Uuid()),
        sa.Column("student_id", sa.String(100), nullable=False),
        sa.Column("mentor_id", sa.String(100), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("session_starts_at", sa.DateTime(timezone=True)),
        sa.Column("reserved_at", sa.DateTime(timezone=True)),
        sa.Column("settled_at", sa.DateTime(timezone=True)),
        sa.Column("outcome", sa.String(20)),
        _created_at(),
        sa.PrimaryKeyConstraint("session_id", name="pk_credits"),
        sa.ForeignKeyConstraint(["pack_id"], ["packs.id"], name="fk_credits_pack_id_packs"),
        sa.CheckConstraint(
            "status IN ('reserved', 'consumed', 'released', 'void')", name="ck_credits_status_known"
        ),
        sa.CheckConstraint(
            "pack_id IS NOT NULL OR status = 'released'", name="ck_credits_pack_unless_tombstone"
        ),
        sa.CheckConstraint(
            "(status = 'reserved') = (settled_at IS NULL)", name="ck_credits_settled_has_time"
        ),
    )
    op.create_index(
        "ix_credits_reserved_pack",
        "credits",
        ["pack_id"],
        postgresql_where=sa.text("status = 'reserved'"),
    )


def downgrade() -> None:
    op.drop_table("credits")
    op.drop_table("packs")
    op.drop_table("seat_holds")
    op.drop_table("seats")
    op.drop_table("mentor_capacity")
    drop_kernel_tables()
