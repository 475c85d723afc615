"""Seats and checkout holds: reads, row locks and state changes."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from sqlalchemy import ColumnElement, and_, bindparam, insert, select, update

from packs.adapters.repositories import Due
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


# The purchase and hold paths' statements are built once (issue 19): only parameters change.
# Bind names carry a `p_` prefix: in an INSERT or UPDATE they must not equal a column's name.
_LIVE_SEAT = select(seats).where(
    seats.c.student_id == bindparam("p_student"),
    seats.c.mentor_id == bindparam("p_mentor"),
    seats.c.status.in_(LIVE_SEAT_STATUSES),
)
_LIVE_SEAT_LOCKED = _LIVE_SEAT.with_for_update()
_ADD_SEAT = insert(seats).values(
    id=bindparam("p_id"),
    student_id=bindparam("p_student"),
    mentor_id=bindparam("p_mentor"),
    status=bindparam("p_status"),
    held_until=bindparam("p_held_until"),
    created_at=bindparam("p_now"),
    activated_at=bindparam("p_activated_at"),
)
_ACTIVATE = (
    update(seats)
    .where(seats.c.id == bindparam("p_id"))
    .values(
        status=SeatStatus.active.value,
        held_until=None,
        grace_ends_at=None,
        grace_warning_sent_at=None,
        activated_at=bindparam("p_now"),
    )
)
_SET_HOLD_STATUS = (
    update(seat_holds)
    .where(
        seat_holds.c.order_id == bindparam("p_order"),
        seat_holds.c.status == HoldStatus.pending.value,
    )
    .values(status=bindparam("p_status"))
)


async def live_seat(
    connection: DbConnection, *, student_id: str, mentor_id: str, lock: bool = False
) -> Seat | None:
    """The student's live seat with the mentor (at most one, by a unique index)."""
    query = _LIVE_SEAT_LOCKED if lock else _LIVE_SEAT
    params = {"p_student": student_id, "p_mentor": mentor_id}
    row = (await connection.execute(query, params)).first()
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
) -> Sequence[Due]:
    """(seat id, mentor id) of seats matching `due`, not locked."""
    rows = await connection.execute(
        select(seats.c.id, seats.c.mentor_id).where(due).order_by(seats.c.id).limit(limit)
    )
    return [Due(row.id, row.mentor_id) for row in rows]


def warnable(now: datetime, *, window: timedelta) -> ColumnElement[bool]:
    """Seats in grace whose final window began and that were not warned."""
    return and_(
        seats.c.status == SeatStatus.grace,
        seats.c.grace_warning_sent_at.is_(None),
        seats.c.grace_ends_at - window <= now,
        seats.c.grace_ends_at > now,
    )


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
        _ADD_SEAT,
        {
            "p_id": seat.id,
            "p_student": student_id,
            "p_mentor": mentor_id,
            "p_status": status.value,
            "p_held_until": held_until,
            "p_now": now,
            "p_activated_at": now if status is SeatStatus.active else None,
        },
    )
    return seat


async def extend_hold(connection: DbConnection, *, seat_id: UUID, held_until: datetime) -> None:
    await connection.execute(
        update(seats).where(seats.c.id == seat_id).values(held_until=held_until)
    )


async def activate(connection: DbConnection, *, seat_id: UUID, now: datetime) -> None:
    """Held or grace → active; the grace period and its warning are cleared."""
    await connection.execute(_ACTIVATE, {"p_id": seat_id, "p_now": now})


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
    await connection.execute(_SET_HOLD_STATUS, {"p_order": order_id, "p_status": status.value})


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


class SqlSeats:
    """`SeatRepository` on one transaction's connection."""

    def __init__(self, connection: DbConnection) -> None:
        self._connection = connection

    async def lock(self, seat_id: UUID) -> Seat:
        return await lock_seat(self._connection, seat_id)

    async def live_of(self, *, student_id: str, mentor_id: str, lock: bool = False) -> Seat | None:
        return await live_seat(
            self._connection, student_id=student_id, mentor_id=mentor_id, lock=lock
        )

    async def add(
        self,
        *,
        student_id: str,
        mentor_id: str,
        status: SeatStatus,
        now: datetime,
        held_until: datetime | None = None,
    ) -> Seat:
        return await add_seat(
            self._connection,
            student_id=student_id,
            mentor_id=mentor_id,
            status=status,
            now=now,
            held_until=held_until,
        )

    async def extend_hold(self, seat_id: UUID, *, held_until: datetime) -> None:
        await extend_hold(self._connection, seat_id=seat_id, held_until=held_until)

    async def activate(self, seat_id: UUID, *, now: datetime) -> None:
        await activate(self._connection, seat_id=seat_id, now=now)

    async def start_grace(self, seat_id: UUID, *, ends_at: datetime) -> None:
        await start_grace(self._connection, seat_id=seat_id, ends_at=ends_at)

    async def holds_ended(self, *, now: datetime, limit: int) -> Sequence[Due]:
        return await due_seats(self._connection, due=hold_ended(now), limit=limit)

    async def claim_hold_ended(self, seat_id: UUID, *, now: datetime) -> Seat | None:
        return await claim_seat(self._connection, seat_id, due=hold_ended(now))

    async def graces_over(self, *, now: datetime, limit: int) -> Sequence[Due]:
        return await due_seats(self._connection, due=grace_over(now), limit=limit)

    async def claim_grace_over(self, seat_id: UUID, *, now: datetime) -> Seat | None:
        return await claim_seat(self._connection, seat_id, due=grace_over(now))

    async def grace_warnings_due(
        self, *, now: datetime, window: timedelta, limit: int
    ) -> Sequence[Due]:
        return await due_seats(self._connection, due=warnable(now, window=window), limit=limit)

    async def claim_grace_warning_due(
        self, seat_id: UUID, *, now: datetime, window: timedelta
    ) -> Seat | None:
        return await claim_seat(self._connection, seat_id, due=warnable(now, window=window))

    async def mark_warned(self, seat_id: UUID, *, now: datetime) -> None:
        await mark_warned(self._connection, seat_id=seat_id, now=now)

    async def release(self, seat_id: UUID, *, reason: ReleaseReason, now: datetime) -> None:
        await release(self._connection, seat_id=seat_id, reason=reason, now=now)


class SqlHolds:
    """`HoldRepository` on one transaction's connection."""

    def __init__(self, connection: DbConnection) -> None:
        self._connection = connection

    async def get(self, order_id: UUID) -> Hold | None:
        return await get_hold(self._connection, order_id)

    async def add(
        self,
        *,
        order_id: UUID,
        seat: Seat,
        renewal: bool,
        held_until: datetime | None,
        now: datetime,
    ) -> None:
        await add_hold(
            self._connection,
            order_id=order_id,
            seat=seat,
            renewal=renewal,
            held_until=held_until,
            now=now,
        )

    async def set_status(self, order_id: UUID, status: HoldStatus) -> None:
        await set_hold_status(self._connection, order_id=order_id, status=status)

    async def others_open(self, *, seat_id: UUID, order_id: UUID, now: datetime) -> int:
        return await other_open_holds(self._connection, seat_id=seat_id, order_id=order_id, now=now)

    async def expire_of_seat(self, seat_id: UUID) -> None:
        await expire_holds_of_seat(self._connection, seat_id=seat_id)
