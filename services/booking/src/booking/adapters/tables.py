from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSTZRANGE, ExcludeConstraint

from shared.db import make_metadata

metadata = make_metadata()

mentors = Table(
    "mentors",
    metadata,
    Column("mentor_id", String(100), primary_key=True),
    Column("display_name", String(100), nullable=False),
    Column("title", String(200), nullable=False),
    Column("company", String(200), nullable=False),
    Column("bio", Text, nullable=False),
    Column("specialties", ARRAY(String(50)), nullable=False),
    Column("job_family", String(50), nullable=False),
    Column("years_experience", Integer, nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("accepting_students", Boolean, nullable=False),
    # Scheduling: {"mon": [{"start": "09:00", "end": "17:00"}]} and {"2026-03-10": []} (off).
    Column("weekly_hours", JSONB, nullable=False, server_default="{}"),
    Column("date_overrides", JSONB, nullable=False, server_default="{}"),
    Column("buffer_before_minutes", Integer, nullable=False, server_default="0"),
    Column("buffer_after_minutes", Integer, nullable=False, server_default="0"),
    Column("notice_minutes", Integer, nullable=False, server_default="1440"),
    Column("horizon_days", Integer, nullable=False, server_default="30"),
    Column("session_durations", ARRAY(Integer), nullable=False, server_default="{60}"),
    # Booking rules the mentor sets (decision 0042); NULL is no limit.
    Column("max_sessions_per_day", Integer),
    Column("max_sessions_per_student_week", Integer),
    Column("max_sessions_per_student_month", Integer),
    Column("reschedule_notice_hours", Integer),
    Column("max_reschedules_per_session", Integer),
    # When `mentor.availability_changed` was last recorded (database time).
    Column("availability_announced_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("years_experience >= 0", name="experience_not_negative"),
    CheckConstraint(
        "least(max_sessions_per_day, max_sessions_per_student_week, "
        "max_sessions_per_student_month, reschedule_notice_hours, "
        "max_reschedules_per_session) >= 0",
        name="rules_not_negative",
    ),
)

# What packs told us a student bought: the packs booking may later offer sessions from.
# Packs stays the source of truth for credits; booking asks it before booking.
student_packs = Table(
    "student_packs",
    metadata,
    Column("pack_id", Uuid, primary_key=True),
    Column("student_id", String(100), nullable=False),
    Column("mentor_id", String(100), nullable=False),
    Column("sessions_total", Integer, nullable=False),
    Column("session_minutes", Integer, nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("seat_id", Uuid),
    # active | depleted | expired | refunded, from pack.* events; `status_at` is the time of
    # the fact that set it, so an older event never overwrites a newer one.
    Column("status", String(20), nullable=False, server_default="active"),
    Column("status_at", DateTime(timezone=True)),
    Index("ix_student_packs_student_id", "student_id"),
    Index("ix_student_packs_mentor_id", "mentor_id"),
)

# Packs' seats as booking hears of them (pack.purchased, seat.grace_started, seat.released).
student_seats = Table(
    "student_seats",
    metadata,
    Column("seat_id", Uuid, primary_key=True),
    Column("student_id", String(100), nullable=False),
    Column("mentor_id", String(100), nullable=False),
    Column("status", String(20), nullable=False),
    Column("grace_ends_at", DateTime(timezone=True)),
    Column("status_at", DateTime(timezone=True), nullable=False),
    Index("ix_student_seats_mentor_id", "mentor_id"),
)

# A mentor's capacity as packs last announced it (mentor.capacity_changed).
mentor_capacity = Table(
    "mentor_capacity",
    metadata,
    Column("mentor_id", String(100), primary_key=True),
    Column("capacity", Integer, nullable=False),
    Column("live_seats", Integer, nullable=False),
    Column("open_seats", Integer, nullable=False),
    Column("status_at", DateTime(timezone=True), nullable=False),
)

SESSION_STATUSES = "status IN ('scheduled', 'completed', 'no_show', 'canceled')"

sessions = Table(
    "sessions",
    metadata,
    Column("session_id", Uuid, primary_key=True),
    Column("mentor_id", String(100), nullable=False),
    Column("student_id", String(100), nullable=False),
    Column("pack_id", Uuid, nullable=False),
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("ends_at", DateTime(timezone=True), nullable=False),
    # The session with the mentor's buffers around it: what no other live session may touch.
    Column("blocked", TSTZRANGE, nullable=False),
    Column("status", String(20), nullable=False),
    Column("topic", Text, nullable=False),
    Column("join_url", String(500), nullable=False),
    Column("mentor_timezone", String(64), nullable=False),
    Column("sequence", Integer, nullable=False, server_default="0"),
    Column("notes", Text, nullable=False, server_default=""),
    Column("recording_url", String(2000)),
    Column("completed_at", DateTime(timezone=True)),
    Column("canceled_at", DateTime(timezone=True)),
    Column("canceled_by", String(20)),
    Column("cancel_reason", Text, nullable=False, server_default=""),
    Column("late", Boolean, nullable=False, server_default="false"),
    Column("idempotency_key", String(200), nullable=False),
    Column("request_fingerprint", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # Database time of the last change, for the availability announcer (not the service clock).
    Column("changed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint(SESSION_STATUSES, name="known_status"),
    CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    CheckConstraint(
        "(status = 'canceled') = (canceled_at IS NOT NULL)", name="canceled_at_iff_canceled"
    ),
    CheckConstraint("status <> 'completed' OR completed_at IS NOT NULL", name="completed_has_time"),
    UniqueConstraint("student_id", "idempotency_key", name="uq_sessions_student_idempotency_key"),
    ExcludeConstraint(
        ("mentor_id", "="),
        ("blocked", "&&"),
        name="no_overlapping_sessions_of_a_mentor",
        using="gist",
        where="status = 'scheduled'",
    ),
    Index("ix_sessions_mentor_starts", "mentor_id", "starts_at"),
    Index("ix_sessions_student_starts", "student_id", "starts_at"),
    Index("ix_sessions_pack_id", "pack_id"),
    Index("ix_sessions_changed_at", "changed_at"),
)

# Optional 5-minute holds: a student keeps a slot while filling in the booking form.
slot_holds = Table(
    "slot_holds",
    metadata,
    Column("hold_id", Uuid, primary_key=True),
    Column("mentor_id", String(100), nullable=False),
    Column("student_id", String(100), nullable=False),
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("ends_at", DateTime(timezone=True), nullable=False),
    Column("blocked", TSTZRANGE, nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    ExcludeConstraint(
        ("mentor_id", "="), ("blocked", "&&"), name="no_overlapping_holds_of_a_mentor", using="gist"
    ),
)

# One row per (session, its calendar sequence, offset): each reminder is sent once.
session_reminders = Table(
    "session_reminders",
    metadata,
    Column("session_id", Uuid, primary_key=True),
    Column("sequence", Integer, primary_key=True),
    Column("offset_minutes", Integer, primary_key=True),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
    Index("ix_session_reminders_due", "due_at", postgresql_where="sent_at IS NULL"),
)

reviews = Table(
    "reviews",
    metadata,
    Column("review_id", Uuid, primary_key=True),
    Column("session_id", Uuid, nullable=False, unique=True),
    Column("mentor_id", String(100), nullable=False),
    Column("student_id", String(100), nullable=False),
    Column("rating", Integer, nullable=False),
    Column("comment", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("rating BETWEEN 1 AND 5", name="rating_one_to_five"),
    Index("ix_reviews_mentor_created", "mentor_id", "created_at"),
)

# A mentor's Google Calendar: the refresh token is encrypted (Fernet) before it is stored.
calendar_connections = Table(
    "calendar_connections",
    metadata,
    Column("mentor_id", String(100), primary_key=True),
    Column("encrypted_refresh_token", Text, nullable=False),
    Column("calendar_id", String(200), nullable=False, server_default="primary"),
    Column("connected_at", DateTime(timezone=True), nullable=False),
)

# Credits whose release packs did not confirm (a booking that failed while packs was slow or
# down): a due job retries until packs answers, so no credit stays reserved for nothing.
credit_releases = Table(
    "credit_releases",
    metadata,
    Column("session_id", Uuid, primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text, nullable=False, server_default=""),
)

# A person's private calendar feed: only the sha256 of its secret token is kept. One per
# person; rotating replaces the hash (the old URL stops working), revoking deletes the row.
calendar_feeds = Table(
    "calendar_feeds",
    metadata,
    Column("user_id", String(100), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("role IN ('student', 'mentor')", name="feed_role_known"),
)
