"""Seats and checkout holds: reads, row locks and state changes."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from sqlalchemy import ColumnElement, and_, insert, select, update

from packs.adapters.tables import seat_holds, seats
from packs.domain.model import (
    LIVE_SEAT_STATUSES,
    Hold,
    HoldStatus,
    ReleaseReason,
    Seat,
    SeatStatus,
)
from shared.db import AnyRow, DbConnection


def to_seat(row: AnyRow) -> Seat:
    return Seat(
        id=row.id,
        student_id=row.student_id,
        mentor_id=row.mentor_id,
        status=SeatStatus(row.status),
        held_until=row.held_until,
        grace_ends_at=row.grace_ends_at,
        grace_warning_sent_at=row.grace_warning_sent_at,
    )


async def live_seat(
    connection: DbConnection, *, student_id: str, mentor_id: str, lock: bool = False
) -> Seat | None:
    """The student's live seat with the mentor (at most one, by a unique index)."""
    query = select(seats).where(
        seats.c.student_id == student_id,
        seats.c.mentor_id == mentor_id,
        seats.c.status.in_(LIVE_SEAT_STATUSES),
    )
    row = (await connection.execute(query.with_for_update() if lock else query)).first()
    return None if row is None else to_seat(row)


async def lock_seat(connection: DbConnection, seat_id: UUID) -> Seat:
    query = select(seats).where(seats.c.id == seat_id).with_for_update()
    return to_seat((await connection.execute(query)).one())


def hold_ended(now: datetime) -> ColumnElement[bool]:
    return and_(seats.c.status == SeatStatus.held, seats.c.held_until <= now)


def grace_over(now: datetime) -> ColumnElement[bool]:
    return and_(seats.c.status == SeatStatus.grace, seats.c.grace_ends_at <= now)


async def claim_seat(
    connection: DbConnection, seat_id: UUID, *, due: ColumnElement[bool]
) -> Seat | None:
    """Lock the seat if it still matches `due`; None if it no longer does or another holds it."""
    row = (
        await connection.execute(
            select(seats).where(seats.c.id == seat_id, due).with_for_update(skip_locked=True)
        )
    ).first()
    return None if row is None else to_seat(row)


async def due_seats(
    connection: DbConnection, *, due: ColumnElement[bool], limit: int
) -> Sequence[tuple[UUID, str]]:
    """(seat id, mentor id) of seats matching `due`, not locked."""
    rows = await connection.execute(
        select(seats.c.id, seats.c.mentor_id).where(due).order_by(seats.c.id).limit(limit)
    )
    return [(row.id, row.mentor_id) for row in rows]


async def claim_warnable(
    connection: DbConnection, *, now: datetime, window: timedelta, limit: int
) -> list[Seat]:
    """Lock (SKIP LOCKED) seats in grace whose final window began and that were not warned."""
    rows = await connection.execute(
        select(seats)
        .where(
            seats.c.status == SeatStatus.grace,
            seats.c.grace_warning_sent_at.is_(None),
            seats.c.grace_ends_at - window <= now,
            seats.c.grace_ends_at > now,
        )
        .order_by(seats.c.grace_ends_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return [to_seat(row) for row in rows]


async def add_seat(
    connection: DbConnection,
    *,
    student_id: str,
    mentor_id: str,
    status: SeatStatus,
    now: datetime,
    held_until: datetime | None = None,
) -> Seat:
    seat = Seat(
        id=uuid4(), student_id=student_id, mentor_id=mentor_id, status=status, held_until=held_until
    )
    await connection.execute(
        insert(seats).values(
            id=seat.id,
            student_id=student_id,
            mentor_id=mentor_id,
            status=status,
            held_until=held_until,
            created_at=now,
            activated_at=now if status is SeatStatus.active else None,
        )
    )
    return seat


async def extend_hold(connection: DbConnection, *, seat_id: UUID, held_until: datetime) -> None:
    await connection.execute(
        update(seats).where(seats.c.id == seat_id).values(held_until=held_until)
    )


async def activate(connection: DbConnection, *, seat_id: UUID, now: datetime) -> None:
    """Held or grace → active; the grace period and its warning are cleared."""
    await connection.execute(
        update(seats)
        .where(seats.c.id == seat_id)
        .values(
            status=SeatStatus.active,
            held_until=None,
            grace_ends_at=None,
            grace_warning_sent_at=None,
            activated_at=now,
        )
    )


async def start_grace(connection: DbConnection, *, seat_id: UUID, ends_at: datetime) -> None:
    await connection.execute(
        update(seats)
        .where(seats.c.id == seat_id)
        .values(status=SeatStatus.grace, grace_ends_at=ends_at, grace_warning_sent_at=None)
    )


async def mark_warned(connection: DbConnection, *, seat_id: UUID, now: datetime) -> None:
    await connection.execute(
        update(seats).where(seats.c.id == seat_id).values(grace_warning_sent_at=now)
    )


async def release(
    connection: DbConnection, *, seat_id: UUID, reason: ReleaseReason, now: datetime
) -> None:
    await connection.execute(
        update(seats)
        .where(seats.c.id == seat_id)
        .values(status=SeatStatus.released, released_at=now, release_reason=reason)
    )


# ---- checkout holds -----------------------------------------------------------------------


async def get_hold(connection: DbConnection, order_id: UUID) -> Hold | None:
    query = select(seat_holds).where(seat_holds.c.order_id == order_id)
    row = (await connection.execute(query)).first()
    if row is None:
        return None
    return Hold(
        order_id=row.order_id,
        seat_id=row.seat_id,
        student_id=row.student_id,
        mentor_id=row.mentor_id,
        renewal=row.renewal,
        status=HoldStatus(row.status),
        held_until=row.held_until,
    )


async def add_hold(
    connection: DbConnection,
    *,
    order_id: UUID,
    seat: Seat,
    renewal: bool,
    held_until: datetime | None,
    now: datetime,
) -> None:
    await connection.execute(
        insert(seat_holds).values(
            order_id=order_id,
            seat_id=seat.id,
            student_id=seat.student_id,
            mentor_id=seat.mentor_id,
            renewal=renewal,
            status=HoldStatus.pending,
            held_until=held_until,
            created_at=now,
        )
    )


async def set_hold_status(connection: DbConnection, *, order_id: UUID, status: HoldStatus) -> None:
    await connection.execute(
        update(seat_holds)
        .where(seat_holds.c.order_id == order_id, seat_holds.c.status == HoldStatus.pending)
        .values(status=status)
    )


async def expire_holds_of_seat(connection: DbConnection, *, seat_id: UUID) -> None:
    await connection.execute(
        update(seat_holds)
        .where(seat_holds.c.seat_id == seat_id, seat_holds.c.status == HoldStatus.pending)
        .values(status=HoldStatus.expired)
    )


async def other_open_holds(
    connection: DbConnection, *, seat_id: UUID, order_id: UUID, now: datetime
) -> int:
    """Pending holds of other checkouts still keeping this seat."""
    rows = await connection.execute(
        select(seat_holds.c.order_id).where(
            and_(
                seat_holds.c.seat_id == seat_id,
                seat_holds.c.order_id != order_id,
                seat_holds.c.status == HoldStatus.pending,
                seat_holds.c.held_until > now,
            )
        )
    )
    return len(rows.all())
