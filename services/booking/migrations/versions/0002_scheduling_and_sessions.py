"""Scheduling settings, sessions under an exclusion constraint, holds, reminders, reviews,
calendar connections.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    # btree_gist lets one GiST index compare mentor ids (=) and time ranges (&&).
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for column in (
        sa.Column("weekly_hours", postgresql.JSONB(), nullable=False, server_default="{}"),
        sa.Column("date_overrides", postgresql.JSONB(), nullable=False, server_default="{}"),
        sa.Column("buffer_before_minutes", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("buffer_after_minutes", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("notice_minutes", sa.Integer(), nullable=False, server_default="1440"),
        sa.Column("horizon_days", sa.Integer(), nullable=False, server_default="30"),
        sa.Column(
            "session_durations",
            postgresql.ARRAY(sa.Integer()),
            nullable=False,
            server_default="{60}",
        ),
    ):
        op.add_column("mentors", column)
    op.create_table(
        "sessions",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("mentor_id", sa.String(100), nullable=False),
        sa.Column("student_id", sa.String(100), nullable=False),
        sa.Column("pack_id", sa.Uuid(), nullable=False),
        sa.Column("starts_at", TZ, nullable=False),
        sa.Column("ends_at", TZ, nullable=False),
        sa.Column("blocked", postgresql.TSTZRANGE(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("topic", sa.Text(), nullable=False),
        sa.Column("join_url", sa.String(500), nullable=False),
        sa.Column("mentor_timezone", sa.String(64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("notes", sa.Text(), nullable=False, server_default=""),
        sa.Column("recording_url", sa.String(2000)),
        sa.Column("completed_at", TZ),
        sa.Column("canceled_at", TZ),
        sa.Column("canceled_by", sa.String(20)),
        sa.Column("cancel_reason", sa.Text(), nullable=False, server_default=""),
        sa.Column("late", sa.Boolean(), nullable=False, server_default="false"),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("request_fingerprint", sa.String(64), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("session_id", name="pk_sessions"),
        sa.CheckConstraint(
            "status IN ('scheduled', 'completed', 'no_show', 'canceled')",
            name="ck_sessions_known_status",
        ),
        sa.CheckConstraint("ends_at > starts_at", name="ck_sessions_ends_after_start"),
        sa.CheckConstraint(
            "(status = 'canceled') = (canceled_at IS NOT NULL)",
            name="ck_sessions_canceled_at_iff_canceled",
        ),
        sa.CheckConstraint(
            "status <> 'completed' OR completed_at IS NOT NULL",
            name="ck_sessions_completed_has_time",
        ),
        sa.UniqueConstraint(
            "student_id", "idempotency_key", name="uq_sessions_student_idempotency_key"
        ),
    )
    op.execute(
        "ALTER TABLE sessions ADD CONSTRAINT no_overlapping_sessions_of_a_mentor "
        "EXCLUDE USING gist (mentor_id WITH =, blocked WITH &&) WHERE (status = 'scheduled')"
    )
    op.create_index("ix_sessions_mentor_starts", "sessions", ["mentor_id", "starts_at"])
    op.create_index("ix_sessions_student_starts", "sessions", ["student_id", "starts_at"])
    op.create_index("ix_sessions_pack_id", "sessions", ["pack_id"])
    op.create_table(
        "slot_holds",
        sa.Column("hold_id", sa.Uuid(), nullable=False),
        sa.Column("mentor_id", sa.String(100), nullable=False),
        sa.Column("student_id", sa.String(100), nullable=False),
        sa.Column("starts_at", TZ, nullable=False),
        sa.Column("ends_at", TZ, nullable=False),
        sa.Column("blocked", postgresql.TSTZRANGE(), nullable=False),
        sa.Column("expires_at", TZ, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("hold_id", name="pk_slot_holds"),
    )
    op.execute(
        "ALTER TABLE slot_holds ADD CONSTRAINT no_overlapping_holds_of_a_mentor "
        "EXCLUDE USING gist (mentor_id WITH =, blocked WITH &&)"
    )
    op.create_table(
        "session_reminders",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("offset_minutes", sa.Integer(), nullable=False),
        sa.Column("due_at", TZ, nullable=False),
        sa.Column("sent_at", TZ),
        sa.PrimaryKeyConstraint(
            "session_id", "sequence", "offset_minutes", name="pk_session_reminders"
        ),
    )
    op.create_index(
        "ix_session_reminders_due",
        "session_reminders",
        ["due_at"],
        postgresql_where=sa.text("sent_at IS NULL"),
    )
    op.create_table(
        "reviews",
        sa.Column("review_id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("mentor_id", sa.String(100), nullable=False),
        sa.Column("student_id", sa.String(100), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("review_id", name="pk_reviews"),
        sa.UniqueConstraint("session_id", name="uq_reviews_session_id"),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name="ck_reviews_rating_one_to_five"),
    )
    op.create_index("ix_reviews_mentor_created", "reviews", ["mentor_id", "created_at"])
    op.create_table(
        "calendar_connections",
        sa.Column("mentor_id", sa.String(100), nullable=False),
        sa.Column("encrypted_refresh_token", sa.Text(), nullable=False),
        sa.Column("calendar_id", sa.String(200), nullable=False, server_default="primary"),
        sa.Column("connected_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("mentor_id", name="pk_calendar_connections"),
    )


def downgrade() -> None:
    op.drop_table("calendar_connections")
    op.drop_index("ix_reviews_mentor_created", table_name="reviews")
    op.drop_table("reviews")
    op.drop_index("ix_session_reminders_due", table_name="session_reminders")
    op.drop_table("session_reminders")
    op.drop_table("slot_holds")
    op.drop_index("ix_sessions_pack_id", table_name="sessions")
    op.drop_index("ix_sessions_student_starts", table_name="sessions")
    op.drop_index("ix_sessions_mentor_starts", table_name="sessions")
    op.drop_table("sessions")
    for column in (
        "session_durations",
        "horizon_days",
        "notice_minutes",
        "buffer_after_minutes",
        "buffer_before_minutes",
        "date_overrides",
        "weekly_hours",
    ):
        op.drop_column("mentors", column)
