"""Slot holds: a student keeps a slot for a few minutes; holds never overlap (exclusion)."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert

from booking.adapters.sessions import as_range
from booking.adapters.tables import slot_holds
from booking.domain.availability import Interval
from shared.db import DbConnection


class SqlHolds:
    """`HoldRepository` in SQL."""

    def __init__(self, connection: DbConnection) -> None:
        self._connection = connection

    async def add(
        self,
        *,
        hold_id: UUID,
        mentor_id: str,
        student_id: str,
        slot: Interval,
        blocked: Interval,
        expires_at: datetime,
        now: datetime,
    ) -> bool:
        await self._connection.execute(
            delete(slot_holds).where(
                slot_holds.c.mentor_id == mentor_id,
                slot_holds.c.blocked.op("&&")(as_range(blocked)),
                (slot_holds.c.expires_at <= now) | (slot_holds.c.student_id == student_id),
            )
        )
        inserted = await self._connection.execute(
            insert(slot_holds)
            .values(
                hold_id=hold_id,
                mentor_id=mentor_id,
                student_id=student_id,
                starts_at=slot.start,
                ends_at=slot.end,
                blocked=as_range(blocked),
                expires_at=expires_at,
                created_at=now,
            )
            .on_conflict_do_nothing()
            .returning(slot_holds.c.hold_id)
        )
        return inserted.first() is not None
