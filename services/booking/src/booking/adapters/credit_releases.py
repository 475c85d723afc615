"""Releases packs did not confirm, kept until a retry succeeds."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert

from booking.adapters.tables import credit_releases
from shared.db import DbConnection


class SqlCreditReleases:
    """`CreditReleaseRepository` in SQL."""

    def __init__(self, connection: DbConnection) -> None:
        self._connection = connection

    async def remember(self, session_id: UUID, *, error: str, now: datetime) -> None:
        await self._connection.execute(
            insert(credit_releases)
            .values(session_id=session_id, created_at=now, attempts=1, last_error=error[:500])
            .on_conflict_do_nothing()
        )

    async def pending(self, *, limit: int) -> list[UUID]:
        rows = await self._connection.execute(
            select(credit_releases.c.session_id).order_by(credit_releases.c.created_at).limit(limit)
        )
        return [row.session_id for row in rows]

    async def claim(self, session_id: UUID) -> bool:
        found = await self._connection.scalar(
            select(credit_releases.c.session_id)
            .where(credit_releases.c.session_id == session_id)
            .with_for_update(skip_locked=True)
        )
        return found is not None

    async def forget(self, session_id: UUID) -> None:
        await self._connection.execute(
            delete(credit_releases).where(credit_releases.c.session_id == session_id)
        )

    async def count_failure(self, session_id: UUID, *, error: str) -> None:
        await self._connection.execute(
            update(credit_releases)
            .where(credit_releases.c.session_id == session_id)
            .values(attempts=credit_releases.c.attempts + 1, last_error=error[:500])
        )
