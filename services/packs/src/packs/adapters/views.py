"""Read models for the HTTP API: packs with their seat, a mentor's seats with their packs."""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, and_, case, func, select

from packs.adapters.tables import packs, seats
from packs.domain.model import LIVE_SEAT_STATUSES, PackStatus
from shared.db import AnyRow, DbConnection

UNSPENT = packs.c.sessions_total - packs.c.sessions_used - packs.c.sessions_reserved

PACK_COLUMNS = (
    packs.c.id,
    packs.c.order_id,
    packs.c.student_id,
    packs.c.mentor_id,
    packs.c.status,
    packs.c.sessions_total,
    packs.c.sessions_used,
    packs.c.sessions_reserved,
    packs.c.session_minutes,
    packs.c.purchased_at,
    packs.c.expires_at,
    packs.c.seat_id,
    seats.c.status.label("seat_status"),
    seats.c.grace_ends_at,
)


def _bookable(now: datetime) -> ColumnElement[bool]:
    """The pack can still give sessions: active and within its validity (Pack.is_live)."""
    return and_(packs.c.status == PackStatus.active, packs.c.expires_at > now)


def pack_view(now: datetime) -> tuple[Any, ...]:
    """A pack as the API shows it: `remaining` is what can still be booked, `voided` what
    a refund or the expiry took (0 while the pack is live)."""
    return (
        *PACK_COLUMNS,
        case((_bookable(now), UNSPENT), else_=0).label("remaining"),
        case((_bookable(now), 0), else_=UNSPENT).label("voided"),
    )


async def packs_of_student(
    connection: DbConnection, student_id: str, *, now: datetime
) -> list[AnyRow]:
    """Every pack of the student, newest first, with its seat's status."""
    rows = await connection.execute(
        select(*pack_view(now))
        .join(seats, seats.c.id == packs.c.seat_id)
        .where(packs.c.student_id == student_id)
        .order_by(packs.c.purchased_at.desc(), packs.c.id)
    )
    return list(rows.all())


async def pack_by_id(connection: DbConnection, pack_id: UUID, *, now: datetime) -> AnyRow | None:
    query = select(*pack_view(now)).join(seats, seats.c.id == packs.c.seat_id)
    return (await connection.execute(query.where(packs.c.id == pack_id))).first()


async def live_seats_of_mentor(
    connection: DbConnection, mentor_id: str, *, now: datetime
) -> list[AnyRow]:
    """The mentor's live seats with the bookable credits and latest expiry of their packs."""
    active = packs.c.status == PackStatus.active
    rows = await connection.execute(
        select(
            seats.c.id.label("seat_id"),
            seats.c.student_id,
            seats.c.status,
            seats.c.held_until,
            seats.c.grace_ends_at,
            seats.c.activated_at,
            func.max(packs.c.expires_at).filter(active).label("expires_at"),
            func.coalesce(func.sum(UNSPENT).filter(_bookable(now)), 0).label("remaining"),
            func.coalesce(func.sum(packs.c.sessions_reserved).filter(active), 0).label("reserved"),
        )
        .outerjoin(packs, packs.c.seat_id == seats.c.id)
        .where(seats.c.mentor_id == mentor_id, seats.c.status.in_(LIVE_SEAT_STATUSES))
        .group_by(seats.c.id)
        .order_by(seats.c.created_at, seats.c.id)
    )
    return list(rows.all())
