"""Mentor capacity rows: the lock every change of a mentor's live seats goes through."""

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert

from packs.adapters.tables import mentor_capacity, seats
from packs.domain.model import LIVE_SEAT_STATUSES
from shared.db import DbConnection


async def lock_capacity(connection: DbConnection, *, mentor_id: str, default: int) -> int:
    """Lock the mentor's capacity row (created on first use) and return the capacity.

    Lock order, everywhere: capacity → packs → credits → seats → holds. Any transaction that
    may change how many live seats a mentor has takes this lock first, so counting the live
    seats and adding one can never interleave with another transaction doing the same.
    """
    await connection.execute(
        insert(mentor_capacity)
        .values(mentor_id=mentor_id, capacity=default)
        .on_conflict_do_nothing(index_elements=["mentor_id"])
    )
    result = await connection.execute(
        select(mentor_capacity.c.capacity)
        .where(mentor_capacity.c.mentor_id == mentor_id)
        .with_for_update()
    )
    capacity: int = result.scalar_one()
    return capacity


async def set_capacity(
    connection: DbConnection, *, mentor_id: str, capacity: int, now: datetime
) -> None:
    """Change the capacity; the row must already be locked by `lock_capacity`."""
    await connection.execute(
        update(mentor_capacity)
        .where(mentor_capacity.c.mentor_id == mentor_id)
        .values(capacity=capacity, updated_at=now)
    )


async def read_capacity(connection: DbConnection, *, mentor_id: str, default: int) -> int:
    found = await connection.scalar(
        select(mentor_capacity.c.capacity).where(mentor_capacity.c.mentor_id == mentor_id)
    )
    return default if found is None else found


async def count_live_seats(connection: DbConnection, *, mentor_id: str) -> int:
    """Held, active and grace seats of the mentor: what counts against capacity."""
    result = await connection.execute(
        select(func.count())
        .select_from(seats)
        .where(seats.c.mentor_id == mentor_id, seats.c.status.in_(LIVE_SEAT_STATUSES))
    )
    return result.scalar_one()
