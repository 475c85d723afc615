"""Releases packs did not confirm, kept until a retry succeeds."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert

from booking.adapters.tables import credit_releases
from shared.db import DbConnection


async def remember(db: DbConnection, session_id: UUID, *, error: str, now: datetime) -> None:
    await db.execute(
        insert(credit_releases)
        .values(session_id=session_id, created_at=now, attempts=1, last_error=error[:500])
        .on_conflict_do_nothing()
    )


async def claim(db: DbConnection, *, limit: int) -> list[UUID]:
    """Pending releases, oldest first, locked (other replicas skip them)."""
    rows = await db.execute(
        select(credit_releases.c.session_id)
        .order_by(credit_releases.c.created_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return [row.session_id for row in rows]


async def forget(db: DbConnection, session_id: UUID) -> None:
    await db.execute(delete(credit_releases).where(credit_releases.c.session_id == session_id))


async def count_failure(db: DbConnection, session_id: UUID, *, error: str) -> None:
    await db.execute(
        update(credit_releases)
        .where(credit_releases.c.session_id == session_id)
        .values(attempts=credit_releases.c.attempts + 1, last_error=error[:500])
    )
