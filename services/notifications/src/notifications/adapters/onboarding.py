"""Discord onboarding rows: started by a first purchase, reminded once, closed by connecting."""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, select, update
from sqlalchemy.dialects.postgresql import insert

from notifications.adapters.tables import onboarding
from shared.db import DbConnection


async def start(
    connection: DbConnection,
    *,
    student_id: str,
    event_id: UUID,
    now: datetime,
    remind_at: datetime,
    connected: bool,
) -> bool:
    """True if this is the student's first onboarding (one row per student, ever)."""
    result = await connection.execute(
        insert(onboarding)
        .values(
            student_id=student_id,
            first_event_id=event_id,
            started_at=now,
            remind_at=remind_at,
            connected_at=now if connected else None,
        )
        .on_conflict_do_nothing()
        .returning(onboarding.c.student_id)
    )
    return result.first() is not None


async def claim_due_reminders(
    connection: DbConnection, *, now: datetime, limit: int
) -> list[Row[Any]]:
    """Onboardings due a reminder, locked for this transaction (SKIP LOCKED)."""
    result = await connection.execute(
        select(onboarding)
        .where(
            onboarding.c.remind_at <= now,
            onboarding.c.reminded_at.is_(None),
            onboarding.c.connected_at.is_(None),
        )
        .order_by(onboarding.c.remind_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(result)


async def mark_reminded(connection: DbConnection, *, student_id: str, now: datetime) -> None:
    await connection.execute(
        update(onboarding).where(onboarding.c.student_id == student_id).values(reminded_at=now)
    )


async def mark_connected(connection: DbConnection, *, student_id: str, now: datetime) -> None:
    await connection.execute(
        update(onboarding)
        .where(onboarding.c.student_id == student_id, onboarding.c.connected_at.is_(None))
        .values(connected_at=now)
    )
