"""Waitlist entries: a mentor's line in join order, its offers, and the reads the API shows.

Every change runs under the mentor's capacity lock (`uow.capacity.lock`), so the line and the
live seats it is offered against never interleave with another transaction's.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.orm import aliased

from packs.adapters.tables import waitlist_entries
from packs.domain.model import OPEN_WAITLIST_STATUSES, WaitlistEntry, WaitlistStatus
from shared.db import AnyRow, DbConnection

_OPEN = waitlist_entries.c.status.in_(OPEN_WAITLIST_STATUSES)


def to_entry(row: AnyRow) -> WaitlistEntry:
    return WaitlistEntry(
        id=row.id,
        seq=row.seq,
        student_id=row.student_id,
        mentor_id=row.mentor_id,
        status=WaitlistStatus(row.status),
        joined_at=row.joined_at,
        offer_id=row.offer_id,
        offer_seat_id=row.offer_seat_id,
        offer_expires_at=row.offer_expires_at,
    )


async def open_entry(
    connection: DbConnection, *, student_id: str, mentor_id: str
) -> WaitlistEntry | None:
    query = select(waitlist_entries).where(
        waitlist_entries.c.student_id == student_id,
        waitlist_entries.c.mentor_id == mentor_id,
        _OPEN,
    )
    row = (await connection.execute(query)).first()
    return None if row is None else to_entry(row)


async def add_entry(
    connection: DbConnection, *, student_id: str, mentor_id: str, now: datetime
) -> WaitlistEntry:
    row = (
        await connection.execute(
            insert(waitlist_entries)
            .values(
                id=uuid4(),
                student_id=student_id,
                mentor_id=mentor_id,
                status=WaitlistStatus.waiting,
                joined_at=now,
            )
            .returning(waitlist_entries)
        )
    ).one()
    return to_entry(row)


async def first_waiting(
    connection: DbConnection, *, mentor_id: str, limit: int
) -> list[WaitlistEntry]:
    rows = await connection.execute(
        select(waitlist_entries)
        .where(
            waitlist_entries.c.mentor_id == mentor_id,
            waitlist_entries.c.status == WaitlistStatus.waiting,
        )
        .order_by(waitlist_entries.c.seq)
        .limit(limit)
    )
    return [to_entry(row) for row in rows]


async def waiting_position(connection: DbConnection, *, entry: WaitlistEntry) -> int | None:
    if entry.status is not WaitlistStatus.waiting:
        return None
    found = await connection.scalar(
        select(func.count())
        .select_from(waitlist_entries)
        .where(
            waitlist_entries.c.mentor_id == entry.mentor_id,
            waitlist_entries.c.status == WaitlistStatus.waiting,
            waitlist_entries.c.seq <= entry.seq,
        )
    )
    return int(found or 0)


async def make_offer(
    connection: DbConnection,
    *,
    entry_id: UUID,
    seat_id: UUID,
    expires_at: datetime,
    now: datetime,
) -> UUID:
    """waiting → offered on the held seat; the new offer's id."""
    offer_id = uuid4()
    await connection.execute(
        update(waitlist_entries)
        .where(
            waitlist_entries.c.id == entry_id,
            waitlist_entries.c.status == WaitlistStatus.waiting,
        )
        .values(
            status=WaitlistStatus.offered,
            offer_id=offer_id,
            offer_seat_id=seat_id,
            offered_at=now,
            offer_expires_at=expires_at,
        )
    )
    return offer_id


async def end_entry(
    connection: DbConnection, *, entry_id: UUID, status: WaitlistStatus, now: datetime
) -> None:
    await connection.execute(
        update(waitlist_entries)
        .where(waitlist_entries.c.id == entry_id, _OPEN)
        .values(status=status, ended_at=now)
    )


async def offer_of_seat(connection: DbConnection, *, seat_id: UUID) -> WaitlistEntry | None:
    query = select(waitlist_entries).where(
        waitlist_entries.c.offer_seat_id == seat_id,
        waitlist_entries.c.status == WaitlistStatus.offered,
    )
    row = (await connection.execute(query)).first()
    return None if row is None else to_entry(row)


# ---- reads for the API (no lock) ----------------------------------------------------------

_ahead = aliased(waitlist_entries)
_WAITING_POSITION = (
    select(func.count())
    .select_from(_ahead)
    .where(
        _ahead.c.mentor_id == waitlist_entries.c.mentor_id,
        _ahead.c.status == WaitlistStatus.waiting,
        _ahead.c.seq <= waitlist_entries.c.seq,
    )
    .scalar_subquery()
)
"""Waiting entries of the same mentor up to this one: 1 for the first in line. Meaningful
only for a waiting entry (the API shows none for an offered one)."""

ENTRY_COLUMNS: tuple[Any, ...] = (
    waitlist_entries.c.id,
    waitlist_entries.c.student_id,
    waitlist_entries.c.mentor_id,
    waitlist_entries.c.status,
    waitlist_entries.c.joined_at,
    waitlist_entries.c.offer_id,
    waitlist_entries.c.offer_expires_at,
    _WAITING_POSITION.label("waiting_position"),
)


async def entries_of_student(connection: DbConnection, student_id: str) -> Sequence[AnyRow]:
    """The student's open places, oldest first, each with its position in its mentor's line."""
    rows = await connection.execute(
        select(*ENTRY_COLUMNS)
        .where(and_(waitlist_entries.c.student_id == student_id, _OPEN))
        .order_by(waitlist_entries.c.seq)
    )
    return list(rows)


async def entries_of_mentor(connection: DbConnection, mentor_id: str) -> Sequence[AnyRow]:
    """The mentor's line in join order (an offered entry joined before those still waiting)."""
    rows = await connection.execute(
        select(*ENTRY_COLUMNS)
        .where(and_(waitlist_entries.c.mentor_id == mentor_id, _OPEN))
        .order_by(waitlist_entries.c.seq)
    )
    return list(rows)


class SqlWaitlist:
    """`WaitlistRepository` on one transaction's connection."""

    def __init__(self, connection: DbConnection) -> None:
        self._connection = connection

    async def open_of(self, *, student_id: str, mentor_id: str) -> WaitlistEntry | None:
        return await open_entry(self._connection, student_id=student_id, mentor_id=mentor_id)

    async def add(self, *, student_id: str, mentor_id: str, now: datetime) -> WaitlistEntry:
        return await add_entry(
            self._connection, student_id=student_id, mentor_id=mentor_id, now=now
        )

    async def first_waiting(self, mentor_id: str, *, limit: int) -> list[WaitlistEntry]:
        return await first_waiting(self._connection, mentor_id=mentor_id, limit=limit)

    async def position(self, entry: WaitlistEntry) -> int | None:
        return await waiting_position(self._connection, entry=entry)

    async def offer(
        self, entry_id: UUID, *, seat_id: UUID, expires_at: datetime, now: datetime
    ) -> UUID:
        return await make_offer(
            self._connection, entry_id=entry_id, seat_id=seat_id, expires_at=expires_at, now=now
        )

    async def end(self, entry_id: UUID, *, status: WaitlistStatus, now: datetime) -> None:
        await end_entry(self._connection, entry_id=entry_id, status=status, now=now)

    async def offer_of_seat(self, seat_id: UUID) -> WaitlistEntry | None:
        return await offer_of_seat(self._connection, seat_id=seat_id)
