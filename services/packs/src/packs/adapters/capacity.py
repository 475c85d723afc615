"""Mentor capacity rows: the lock every change of a mentor's live seats goes through."""

from datetime import datetime

from sqlalchemy import bindparam, func, select, union_all, update
from sqlalchemy.dialects.postgresql import insert

from packs.adapters.tables import mentor_capacity, seats
from packs.domain.model import LIVE_SEAT_STATUSES
from shared.db import DbConnection

# The fulfilment and hold paths' statements are built once (issue 19): only parameters change.
_created = (
    insert(mentor_capacity)
    .values(mentor_id=bindparam("p_mentor"), capacity=bindparam("p_default"))
    .on_conflict_do_nothing(index_elements=["mentor_id"])
    .returning(mentor_capacity.c.capacity)
    .cte("created")
)
_LOCK_CAPACITY = (
    select(mentor_capacity.c.capacity)
    .where(mentor_capacity.c.mentor_id == bindparam("p_mentor"))
    .with_for_update()
)
_locked = _LOCK_CAPACITY.cte("locked")
# One round trip: the row this statement inserted (locked, being ours) or the existing row,
# locked FOR UPDATE. Both read one snapshot, so a row another transaction inserted and
# committed while this one waited on its conflict is in neither: then `_LOCK_CAPACITY` alone.
_CREATE_OR_LOCK = union_all(select(_created.c.capacity), select(_locked.c.capacity))
_COUNT_LIVE = (
    select(func.count())
    .select_from(seats)
    .where(seats.c.mentor_id == bindparam("p_mentor"), seats.c.status.in_(LIVE_SEAT_STATUSES))
)


async def lock_capacity(connection: DbConnection, *, mentor_id: str, default: int) -> int:
    """Lock the mentor's capacity row (created on first use) and return the capacity.

    Lock order, everywhere: capacity → packs → credits → seats → holds. Any transaction that
    may change how many live seats a mentor has takes this lock first, so counting the live
    seats and adding one can never interleave with another transaction doing the same.
    """
    params = {"p_mentor": mentor_id, "p_default": default}
    found: int | None = (await connection.execute(_CREATE_OR_LOCK, params)).scalar_one_or_none()
    if found is not None:
        return found
    result = await connection.execute(_LOCK_CAPACITY, {"p_mentor": mentor_id})
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
    result = await connection.execute(_COUNT_LIVE, {"p_mentor": mentor_id})
    count: int = result.scalar_one()
    return count


class SqlCapacity:
    """`CapacityRepository` on one transaction's connection."""

    def __init__(self, connection: DbConnection) -> None:
        self._connection = connection

    async def lock(self, mentor_id: str, *, default: int) -> int:
        return await lock_capacity(self._connection, mentor_id=mentor_id, default=default)

    async def set(self, mentor_id: str, *, capacity: int, now: datetime) -> None:
        await set_capacity(self._connection, mentor_id=mentor_id, capacity=capacity, now=now)

    async def live_seats(self, mentor_id: str) -> int:
        return await count_live_seats(self._connection, mentor_id=mentor_id)
