"""Video's tables: the session projection (live and shadow), token audit, attendance."""

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Identity,
    Index,
    String,
    Table,
    Uuid,
)

from shared.db import make_metadata
from shared.messaging.snapshots import rebuild_markers_table

metadata = make_metadata()

STATUSES = "status IN ('scheduled', 'canceled', 'completed', 'no_show')"


def _session_projection(name: str) -> Table:
    """Times and status are separate facts, each with the booking time it happened at."""
    return Table(
        name,
        metadata,
        Column("session_id", Uuid, primary_key=True),
        Column("mentor_id", String(100), nullable=False),
        Column("student_id", String(100), nullable=False),
        Column("starts_at", DateTime(timezone=True)),
        Column("ends_at", DateTime(timezone=True)),
        Column("times_at", DateTime(timezone=True)),
        Column("status", String(20)),
        Column("status_at", DateTime(timezone=True)),
        CheckConstraint(STATUSES, name="known_status"),
        CheckConstraint("(starts_at IS NULL) = (times_at IS NULL)", name="times_stamped"),
        CheckConstraint("(ends_at IS NULL) = (starts_at IS NULL)", name="times_together"),
        CheckConstraint("(status IS NULL) = (status_at IS NULL)", name="status_stamped"),
    )


sessions = _session_projection("sessions")
sessions_rebuild = _session_projection("sessions_rebuild")
projection_rebuilds = rebuild_markers_table(metadata)

token_grants = Table(
    "token_grants",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("session_id", Uuid, nullable=False),
    Column("user_id", String(100), nullable=False),
    Column("participant", String(20), nullable=False),
    Column("uid", BigInteger, nullable=False),
    Column("channel", String(64), nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("participant IN ('mentor', 'student')", name="known_participant"),
    Index("ix_token_grants_session_id", "session_id"),
    Index("ix_token_grants_channel_uid", "channel", "uid"),
)

attendance = Table(
    "attendance",
    metadata,
    Column("notice_id", String(200), primary_key=True),  # Agora resends with the same id
    Column("session_id", Uuid, nullable=False),
    Column("user_id", String(100), nullable=False),
    Column("participant", String(20), nullable=False),
    Column("uid", BigInteger, nullable=False),
    Column("action", String(10), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("action IN ('joined', 'left')", name="known_action"),
    CheckConstraint("participant IN ('mentor', 'student')", name="known_participant"),
    Index("ix_attendance_session_id", "session_id"),
)
