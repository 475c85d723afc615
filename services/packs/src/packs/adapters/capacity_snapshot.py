"""Every mentor's capacity and live seats, in mentor id order, for `snapshot.mentor_capacity`."""

from sqlalchemy import func, select

from packs.adapters.tables import mentor_capacity, seats
from packs.domain.model import LIVE_SEAT_STATUSES
from shared.db import AnyRow, DbConnection

_live = seats.c.status.in_(LIVE_SEAT_STATUSES)


async def capacities_after(
    connection: DbConnection, *, after: str | None, limit: int
) -> list[AnyRow]:
    """(mentor_id, capacity, live_seats, changed_at) of mentors after `after`, `limit` of them.

    `changed_at` is the last time either number could have changed: the capacity's update, or
    a seat of the mentor taken or freed. Every mentor with a seat has a capacity row (the
    capacity lock creates it), so the capacity table lists them all.
    """
    query = (
        select(
            mentor_capacity.c.mentor_id,
            mentor_capacity.c.capacity,
            func.count(seats.c.id).filter(_live).label("live_seats"),
            func.greatest(
                mentor_capacity.c.updated_at,
                func.max(seats.c.created_at),
                func.max(seats.c.released_at),
            ).label("changed_at"),
        )
        .outerjoin(seats, seats.c.mentor_id == mentor_capacity.c.mentor_id)
        .group_by(mentor_capacity.c.mentor_id)
        .order_by(mentor_capacity.c.mentor_id)
        .limit(limit)
    )
    if after is not None:
        query = query.where(mentor_capacity.c.mentor_id > after)
    return list((await connection.execute(query)).all())
