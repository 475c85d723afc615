"""Order-safe session projection with its shadow, rebuild markers, token audit, attendance.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

STATUSES = "status IN ('scheduled', 'canceled', 'completed', 'no_show')"


def _checks(table: str) -> list[sa.CheckConstraint]:
    return [
        sa.CheckConstraint(STATUSES, name=f"ck_{table}_known_status"),
        sa.CheckConstraint(
            "(starts_at IS NULL) = (times_at IS NULL)", name=f"ck_{table}_times_stamped"
        ),
        sa.CheckConstraint(
            "(ends_at IS NULL) = (starts_at IS NULL)", name=f"ck_{table}_times_together"
        ),
        sa.CheckConstraint(
            "(status IS NULL) = (status_at IS NULL)", name=f"ck_{table}_status_stamped"
        ),
    ]


def upgrade() -> None:
    op.add_column("sessions", sa.Column("times_at", sa.DateTime(timezone=True)))
    op.add_column("sessions", sa.Column("status_at", sa.DateTime(timezone=True)))
    op.execute("UPDATE sessions SET times_at = updated_at, status_at = updated_at")
    for column in ("starts_at", "ends_at", "status"):
        op.alter_column("sessions", column, nullable=True)
    op.drop_column("sessions", "updated_at")
    for check in _checks("sessions"):
        op.create_check_constraint(check.name, "sessions", check.sqltext)

    op.create_table(
        "sessions_rebuild",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("mentor_id", sa.String(100), nullable=False),
        sa.Column("student_id", sa.String(100), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True)),
        sa.Column("ends_at", sa.DateTime(timezone=True)),
        sa.Column("times_at", sa.DateTime(timezone=True)),
        sa.Column("status", sa.String(20)),
        sa.Column("status_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("session_id", name="pk_sessions_rebuild"),
        *_checks("sessions_rebuild"),
    )
    op.create_table(
        "projection_rebuilds",
        sa.Column("projection", sa.String(100), nullable=False),
        sa.Column("rebuild_id", sa.Uuid(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("projection", name="pk_projection_rebuilds"),
    )
    op.create_table(
        "token_grants",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.String(100), nullable=False),
        sa.Column("participant", sa.String(20), nullable=False),
        sa.Column("uid", sa.BigInteger(), nullable=False),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_token_grants"),
        sa.CheckConstraint(
            "participant IN ('mentor', 'student')", name="ck_token_grants_known_participant"
        ),
    )
    op.create_index("ix_token_grants_session_id", "token_grants", ["session_id"])
    op.create_index("ix_token_grants_channel_uid", "token_grants", ["channel", "uid"])
    op.create_table(
        "attendance",
        sa.Column("notice_id", sa.String(200), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.String(100), nullable=False),
        sa.Column("participant", sa.String(20), nullable=False),
        sa.Column("uid", sa.BigInteger(), nullable=False),
        sa.Column("action", sa.String(10), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("notice_id", name="pk_attendance"),
        sa.CheckConstraint("action IN ('joined', 'left')", name="ck_attendance_known_action"),
        sa.CheckConstraint(
            "participant IN ('mentor', 'student')", name="ck_attendance_known_participant"
        ),
    )
    op.create_index("ix_attendance_session_id", "attendance", ["session_id"])


def downgrade() -> None:
    op.drop_table("attendance")
    op.drop_table("token_grants")
    op.drop_table("projection_rebuilds")
    op.drop_table("sessions_rebuild")
    for check in _checks("sessions"):
        op.drop_constraint(check.name, "sessions", type_="check")
    op.add_column(
        "sessions",
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
    )
    op.execute("DELETE FROM sessions WHERE starts_at IS NULL OR status IS NULL")
    for column in ("starts_at", "ends_at", "status"):
        op.alter_column("sessions", column, nullable=False)
    op.drop_column("sessions", "status_at")
    op.drop_column("sessions", "times_at")
