"""Keyset pages of sessions for the kernel snapshot (decision 0006): by id, any depth."""

from uuid import UUID

from sqlalchemy import select

from booking.adapters.tables import sessions
from shared.db import AnyRow, DbConnection


async def sessions_after(
    connection: DbConnection, *, after: UUID | None, limit: int
) -> list[AnyRow]:
    """Up to `limit` sessions with an id above `after`, in id order, every status."""
    query = select(sessions).order_by(sessions.c.session_id).limit(limit)
    if after is not None:
        query = query.where(sessions.c.session_id > after)
    return list((await connection.execute(query)).all())
