"""Keyset pages of mentor profiles with their review aggregates, for `snapshot.mentor`."""

from typing import Any

from sqlalchemy import Row, func, select

from booking.adapters.tables import mentors, reviews
from shared.db import DbConnection


async def mentors_after(
    connection: DbConnection, *, after: str | None, limit: int
) -> list[Row[Any]]:
    """Up to `limit` mentors with an id above `after`, in id order."""
    query = select(mentors).order_by(mentors.c.mentor_id).limit(limit)
    if after is not None:
        query = query.where(mentors.c.mentor_id > after)
    return list(await connection.execute(query))


async def latest_reviews(connection: DbConnection, mentor_ids: list[str]) -> dict[str, Row[Any]]:
    """Each mentor's newest review with the mentor's average (2 decimals) and count."""
    ranked = (
        select(
            reviews,
            func.round(func.avg(reviews.c.rating).over(partition_by=reviews.c.mentor_id), 2).label(
                "average_rating"
            ),
            func.count().over(partition_by=reviews.c.mentor_id).label("review_count"),
            func.row_number()
            .over(
                partition_by=reviews.c.mentor_id,
                order_by=(reviews.c.created_at.desc(), reviews.c.review_id.desc()),
            )
            .label("rank"),
        )
        .where(reviews.c.mentor_id.in_(mentor_ids))
        .subquery()
    )
    rows = await connection.execute(select(ranked).where(ranked.c.rank == 1))
    return {row.mentor_id: row for row in rows}
