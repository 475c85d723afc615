"""Discord onboarding rows: started by a first purchase, reminded once, closed by connecting."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import ColumnElement, and_, delete, select, update
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


def _reminder_due(now: datetime) -> ColumnElement[bool]:
    return and_(
        onboarding.c.remind_at <= now,
        onboarding.c.reminded_at.is_(None),
        onboarding.c.connected_at.is_(None),
    )


async def due_reminders(connection: DbConnection, *, now: datetime, limit: int) -> list[str]:
    """Students whose onboarding is due its reminder, oldest first, not locked."""
    result = await connection.execute(
        select(onboarding.c.student_id)
        .where(_reminder_due(now))
        .order_by(onboarding.c.remind_at)
        .limit(limit)
    )
    return [row.student_id for row in result]


async def claim_due_reminder(connection: DbConnection, student_id: str, *, now: datetime) -> bool:
    """Lock the onboarding (SKIP LOCKED) if it is still due its reminder."""
    found = await connection.scalar(
        select(onboarding.c.student_id)
        .where(onboarding.c.student_id == student_id, _reminder_due(now))
        .with_for_update(skip_locked=True)
    )
    return found is not None


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


async def erase(connection: DbConnection, student_id: str) -> None:
    await connection.execute(delete(onboarding).where(onboarding.c.student_id == student_id))


class SqlOnboarding:
    """`OnboardingRepository` on one transaction's connection."""

    def __init__(self, connection: DbConnection) -> None:
        self._connection = connection

    async def start(
        self,
        student_id: str,
        *,
        event_id: UUID,
        now: datetime,
        remind_at: datetime,
        connected: bool,
    ) -> bool:
        return await start(
            self._connection,
            student_id=student_id,
            event_id=event_id,
            now=now,
            remind_at=remind_at,
            connected=connected,
        )

    async def due_reminders(self, *, now: datetime, limit: int) -> list[str]:
        return await due_reminders(self._connection, now=now, limit=limit)

    async def claim_due_reminder(self, student_id: str, *, now: datetime) -> bool:
        return await claim_due_reminder(self._connection, student_id, now=now)

    async def mark_reminded(self, student_id: str, *, now: datetime) -> None:
        await mark_reminded(self._connection, student_id=student_id, now=now)

    async def mark_connected(self, student_id: str, *, now: datetime) -> None:
        await mark_connected(self._connection, student_id=student_id, now=now)

    async def erase(self, student_id: str) -> None:
        await erase(self._connection, student_id)
