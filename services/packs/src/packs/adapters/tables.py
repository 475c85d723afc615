"""Tables of the packs database. Every invariant that a row can state is a constraint here."""

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    Table,
    Uuid,
    func,
    text,
)

from shared.db import make_metadata

metadata = make_metadata()

ID = 100  # length of a Clerk user id column

LIVE = "status IN ('held', 'active', 'grace')"

OPEN = "status IN ('waiting', 'offered')"


def _now() -> Column[datetime]:
    return Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now())


mentor_capacity = Table(
    "mentor_capacity",
    metadata,
    Column("mentor_id", String(ID), primary_key=True),
    Column("capacity", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint("capacity >= 0", name="capacity_not_negative"),
)

seats = Table(
    "seats",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("student_id", String(ID), nullable=False),
    Column("mentor_id", String(ID), nullable=False),
    Column("status", String(10), nullable=False),
    Column("held_until", DateTime(timezone=True)),
    Column("grace_ends_at", DateTime(timezone=True)),
    Column("grace_warning_sent_at", DateTime(timezone=True)),
    Column("activated_at", DateTime(timezone=True)),
    Column("released_at", DateTime(timezone=True)),
    Column("release_reason", String(20)),
    _now(),
    CheckConstraint("status IN ('held', 'active', 'grace', 'released')", name="status_known"),
    CheckConstraint("status <> 'held' OR held_until IS NOT NULL", name="held_has_deadline"),
    CheckConstraint("status <> 'grace' OR grace_ends_at IS NOT NULL", name="grace_has_end"),
    CheckConstraint("(status = 'released') = (released_at IS NOT NULL)", name="released_has_time"),
    # One live seat per (student, mentor), whatever races the application loses.
    Index(
        "uq_seats_live_student_mentor",
        "student_id",
        "mentor_id",
        unique=True,
        postgresql_where=text(LIVE),
    ),
    Index("ix_seats_mentor_live", "mentor_id", postgresql_where=text(LIVE)),
    Index("ix_seats_held_until", "held_until", postgresql_where=text("status = 'held'")),
    Index("ix_seats_grace_ends_at", "grace_ends_at", postgresql_where=text("status = 'grace'")),
)

seat_holds = Table(
    "seat_holds",
    metadata,
    # The checkout's order id: a second request for the same order finds this row.
    Column("order_id", Uuid, primary_key=True),
    Column("seat_id", Uuid, ForeignKey("seats.id"), nullable=False, index=True),
    Column("student_id", String(ID), nullable=False),
    Column("mentor_id", String(ID), nullable=False),
    Column("renewal", Boolean, nullable=False),
    Column("status", String(10), nullable=False),
    Column("held_until", DateTime(timezone=True)),
    _now(),
    CheckConstraint("status IN ('pending', 'paid', 'released', 'expired')", name="status_known"),
)

packs = Table(
    "packs",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("order_id", Uuid, nullable=False, unique=True),
    Column("seat_id", Uuid, ForeignKey("seats.id"), nullable=False, index=True),
    Column("student_id", String(ID), nullable=False),
    Column("mentor_id", String(ID), nullable=False),
    Column("product_id", Uuid, nullable=False),
    Column("status", String(10), nullable=False),
    Column("sessions_total", Integer, nullable=False),
    Column("session_minutes", Integer, nullable=False),
    Column("validity_days", Integer, nullable=False),
    Column("sessions_used", Integer, nullable=False, server_default="0"),
    Column("sessions_reserved", Integer, nullable=False, server_default="0"),
    Column("purchased_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("depleted_at", DateTime(timezone=True)),
    Column("expired_at", DateTime(timezone=True)),
    Column("refunded_at", DateTime(timezone=True)),
    _now(),
    CheckConstraint("status IN ('active', 'depleted', 'expired', 'refunded')", name="status_known"),
    CheckConstraint("sessions_total > 0", name="total_positive"),
    CheckConstraint("session_minutes > 0", name="minutes_positive"),
    CheckConstraint("sessions_used >= 0 AND sessions_reserved >= 0", name="counts_not_negative"),
    CheckConstraint("sessions_used + sessions_reserved <= sessions_total", name="credits_fit"),
    CheckConstraint("status <> 'depleted' OR sessions_used = sessions_total", name="depleted_used"),
    Index("ix_packs_student_mentor", "student_id", "mentor_id", "expires_at"),
    Index("ix_packs_active_expiry", "expires_at", postgresql_where=text("status = 'active'")),
)

credits = Table(
    "credits",
    metadata,
    # One credit per booked session: a second reserve for the same session finds this row.
    Column("session_id", Uuid, primary_key=True),
    Column("pack_id", Uuid, ForeignKey("packs.id")),
    Column("student_id", String(ID), nullable=False),
    Column("mentor_id", String(ID), nullable=False),
    Column("status", String(10), nullable=False),
    Column("session_starts_at", DateTime(timezone=True)),
    Column("reserved_at", DateTime(timezone=True)),
    Column("settled_at", DateTime(timezone=True)),
    Column("outcome", String(20)),
    _now(),
    CheckConstraint("status IN ('reserved', 'consumed', 'released', 'void')", name="status_known"),
    # Only a release that came before any reserve leaves a credit without a pack (a tombstone).
    CheckConstraint("pack_id IS NOT NULL OR status = 'released'", name="pack_unless_tombstone"),
    CheckConstraint("(status = 'reserved') = (settled_at IS NULL)", name="settled_has_time"),
    Index("ix_credits_reserved_pack", "pack_id", postgresql_where=text("status = 'reserved'")),
)

waitlist_entries = Table(
    "waitlist_entries",
    metadata,
    Column("id", Uuid, primary_key=True),
    # First come, first served: a sequence, so two joins never tie.
    Column("seq", BigInteger, Identity(always=True), nullable=False, unique=True),
    Column("student_id", String(ID), nullable=False),
    Column("mentor_id", String(ID), nullable=False),
    Column("status", String(10), nullable=False),
    Column("joined_at", DateTime(timezone=True), nullable=False),
    Column("offer_id", Uuid, unique=True),
    # The held seat an offer reserves: one offer per seat, whatever races the code loses.
    Column("offer_seat_id", Uuid, ForeignKey("seats.id"), unique=True),
    Column("offered_at", DateTime(timezone=True)),
    Column("offer_expires_at", DateTime(timezone=True)),
    Column("ended_at", DateTime(timezone=True)),
    CheckConstraint(
        "status IN ('waiting', 'offered', 'accepted', 'expired', 'left')", name="status_known"
    ),
    CheckConstraint(
        "status <> 'offered' OR (offer_id IS NOT NULL AND offer_seat_id IS NOT NULL "
        "AND offer_expires_at IS NOT NULL)",
        name="offer_has_seat",
    ),
    CheckConstraint("status <> 'waiting' OR offer_seat_id IS NULL", name="waiting_has_no_offer"),
    CheckConstraint(f"({OPEN}) = (ended_at IS NULL)", name="ended_has_time"),
    # One open place per (student, mentor).
    Index(
        "uq_waitlist_open_student_mentor",
        "student_id",
        "mentor_id",
        unique=True,
        postgresql_where=text(OPEN),
    ),
    Index("ix_waitlist_mentor_open", "mentor_id", "seq", postgresql_where=text(OPEN)),
)
