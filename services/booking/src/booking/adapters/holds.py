"""Slot holds: a student keeps a slot for a few minutes; holds never overlap (exclusion)."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert

from booking.adapters.sessions import as_range
from booking.adapters.tables import slot_holds
from booking.domain.availability import Interval
from shared.db import DbConnection


async def add_hold(
    db: DbConnection,
    *,
    hold_id: UUID,
    mentor_id: str,
    student_id: str,
    slot: Interval,
    blocked: Interval,
    expires_at: datetime,
    now: datetime,
) -> bool:
    """Insert after clearing ended holds in the way; False if a live hold overlaps."""
    await db.execute(
        delete(slot_holds).where(
            slot_holds.c.mentor_id == mentor_id,
            slot_holds.c.blocked.op("&&")(as_range(blocked)),
            (slot_holds.c.expires_at <= now) | (slot_holds.c.student_id == student_id),
        )
    )
    inserted = await db.execute(
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


async def drop_holds_of(db: DbConnection, *, student_id: str, mentor_id: str) -> None:
    """The student booked: the slots they held with this mentor are free again."""
    await db.execute(
        delete(slot_holds).where(
            slot_holds.c.student_id == student_id, slot_holds.c.mentor_id == mentor_id
        )
    )
