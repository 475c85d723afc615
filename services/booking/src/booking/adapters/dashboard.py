"""The instructor dashboard from booking's own tables and its projection of packs' facts."""

from datetime import datetime

from sqlalchemy import and_, case, func, or_, select

from booking.adapters.tables import mentor_capacity, sessions, student_packs, student_seats
from booking.domain.sessions import SessionStatus
from booking.domain.student_packs import LIVE_SEATS, PackStatus, SeatStatus
from shared.db import AnyRow, DbConnection

CONSUMED = or_(
    sessions.c.status.in_([SessionStatus.completed, SessionStatus.no_show]),
    and_(sessions.c.status == SessionStatus.canceled, sessions.c.late.is_(True)),
)


async def capacity_of(connection: DbConnection, mentor_id: str) -> AnyRow | None:
    query = select(mentor_capacity).where(mentor_capacity.c.mentor_id == mentor_id)
    return (await connection.execute(query)).first()


async def students_of(connection: DbConnection, mentor_id: str, *, now: datetime) -> list[AnyRow]:
    """Live seats with their live packs' expiry, sessions bought, used and booked."""
    live_pack = and_(student_packs.c.status == PackStatus.active, student_packs.c.expires_at > now)
    packs = (
        select(
            student_packs.c.seat_id,
            func.max(student_packs.c.expires_at).label("pack_expires_at"),
            func.sum(student_packs.c.sessions_total).label("sessions_total"),
            func.array_agg(student_packs.c.pack_id).label("pack_ids"),
        )
        .where(student_packs.c.mentor_id == mentor_id, live_pack)
        .group_by(student_packs.c.seat_id)
        .subquery()
    )
    used = (
        select(
            sessions.c.pack_id,
            func.count().filter(CONSUMED).label("used"),
            func.count().filter(sessions.c.status == SessionStatus.scheduled).label("booked"),
        )
        .where(sessions.c.mentor_id == mentor_id)
        .group_by(sessions.c.pack_id)
        .subquery()
    )
    per_seat = (
        select(
            student_packs.c.seat_id,
            func.coalesce(func.sum(used.c.used), 0).label("used"),
            func.coalesce(func.sum(used.c.booked), 0).label("booked"),
        )
        .join(used, used.c.pack_id == student_packs.c.pack_id)
        .where(student_packs.c.mentor_id == mentor_id, live_pack)
        .group_by(student_packs.c.seat_id)
        .subquery()
    )
    rows = await connection.execute(
        select(
            student_seats.c.student_id,
            student_seats.c.seat_id,
            student_seats.c.status.label("seat_status"),
            student_seats.c.grace_ends_at,
            packs.c.pack_expires_at,
            func.coalesce(packs.c.sessions_total, 0).label("sessions_total"),
            func.coalesce(per_seat.c.used, 0).label("sessions_used"),
            func.coalesce(per_seat.c.booked, 0).label("sessions_booked"),
        )
        .outerjoin(packs, packs.c.seat_id == student_seats.c.seat_id)
        .outerjoin(per_seat, per_seat.c.seat_id == student_seats.c.seat_id)
        .where(student_seats.c.mentor_id == mentor_id, student_seats.c.status.in_(LIVE_SEATS))
        .order_by(
            case((student_seats.c.status == SeatStatus.grace, 0), else_=1),
            student_seats.c.grace_ends_at,
            student_seats.c.student_id,
        )
    )
    return list(rows)


async def sessions_around(
    connection: DbConnection, mentor_id: str, *, now: datetime, limit: int
) -> tuple[list[AnyRow], list[AnyRow]]:
    """The next and the most recent sessions of the mentor."""
    mine = select(sessions).where(sessions.c.mentor_id == mentor_id)
    upcoming = await connection.execute(
        mine.where(sessions.c.status == SessionStatus.scheduled, sessions.c.ends_at > now)
        .order_by(sessions.c.starts_at)
        .limit(limit)
    )
    recent = await connection.execute(
        mine.where(sessions.c.starts_at <= now).order_by(sessions.c.starts_at.desc()).limit(limit)
    )
    return list(upcoming), list(recent)
