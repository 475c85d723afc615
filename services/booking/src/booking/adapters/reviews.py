"""Reviews: one per session (unique), read newest first, averaged per mentor."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from booking.adapters.tables import reviews
from shared.db import AnyRow, DbConnection


async def rating_of(connection: DbConnection, mentor_id: str) -> tuple[float | None, int]:
    """(average rating, number of reviews) of the mentor."""
    row = (
        await connection.execute(
            select(func.avg(reviews.c.rating), func.count()).where(reviews.c.mentor_id == mentor_id)
        )
    ).one()
    average, count = row
    return (round(float(average), 2) if average is not None else None), count


async def reviews_of(
    connection: DbConnection, mentor_id: str, *, limit: int, offset: int
) -> tuple[list[AnyRow], int]:
    base = select(reviews).where(reviews.c.mentor_id == mentor_id)
    rows = await connection.execute(
        base.order_by(reviews.c.created_at.desc(), reviews.c.review_id).limit(limit).offset(offset)
    )
    total = await connection.scalar(select(func.count()).select_from(base.subquery()))
    return list(rows), total or 0


class SqlReviews:
    """`ReviewRepository` in SQL."""

    def __init__(self, connection: DbConnection) -> None:
        self._connection = connection

    async def add(
        self,
        *,
        review_id: UUID,
        session_id: UUID,
        mentor_id: str,
        student_id: str,
        rating: int,
        comment: str,
        now: datetime,
    ) -> bool:
        inserted = await self._connection.execute(
            insert(reviews)
            .values(
                review_id=review_id,
                session_id=session_id,
                mentor_id=mentor_id,
                student_id=student_id,
                rating=rating,
                comment=comment,
                created_at=now,
            )
            .on_conflict_do_nothing(index_elements=["session_id"])
            .returning(reviews.c.review_id)
        )
        return inserted.first() is not None

    async def rating_of(self, mentor_id: str) -> tuple[float | None, int]:
        return await rating_of(self._connection, mentor_id)
