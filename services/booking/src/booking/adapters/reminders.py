"""The reminder schedule: one row per (session, sequence, offset), sent once."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import ColumnElement, and_, delete, select, update
from sqlalchemy.dialects.postgresql import insert

from booking.adapters.repositories import DueReminder, ReminderKey
from booking.adapters.tables import session_reminders, sessions
from booking.domain.sessions import SessionStatus
from shared.db import DbConnection


def _due(now: datetime) -> ColumnElement[bool]:
    """Unsent reminders due by `now`, of the session's current schedule, still scheduled."""
    return and_(
        session_reminders.c.sent_at.is_(None),
        session_reminders.c.due_at <= now,
        session_reminders.c.sequence == sessions.c.sequence,
        sessions.c.status == SessionStatus.scheduled,
    )


def _is(key: ReminderKey) -> ColumnElement[bool]:
    return and_(
        session_reminders.c.session_id == key.session_id,
        session_reminders.c.sequence == key.sequence,
        session_reminders.c.offset_minutes == key.offset_minutes,
    )


class SqlReminders:
    """`ReminderRepository` in SQL."""

    def __init__(self, connection: DbConnection) -> None:
        self._connection = connection

    async def plan(
        self,
        *,
        session_id: UUID,
        sequence: int,
        due: list[tuple[int, datetime]],
    ) -> None:
        await self.drop_unsent(session_id)
        if due:
            await self._connection.execute(
                insert(session_reminders)
                .values(
                    [
                        {
                            "session_id": session_id,
                            "sequence": sequence,
                            "offset_minutes": offset,
                            "due_at": at,
                        }
                        for offset, at in due
                    ]
                )
                .on_conflict_do_nothing()
            )

    async def drop_unsent(self, session_id: UUID) -> None:
        await self._connection.execute(
            delete(session_reminders).where(
                session_reminders.c.session_id == session_id,
                session_reminders.c.sent_at.is_(None),
            )
        )

    async def due(self, *, now: datetime, limit: int) -> list[ReminderKey]:
        rows = await self._connection.execute(
            select(
                session_reminders.c.session_id,
                session_reminders.c.sequence,
                session_reminders.c.offset_minutes,
            )
            .join(sessions, sessions.c.session_id == session_reminders.c.session_id)
            .where(_due(now))
            .order_by(session_reminders.c.due_at)
            .limit(limit)
        )
        return [ReminderKey(row.session_id, row.sequence, row.offset_minutes) for row in rows]

    async def claim(self, key: ReminderKey, *, now: datetime) -> DueReminder | None:
        rows = await self._connection.execute(
            select(sessions.c.starts_at)
            .select_from(session_reminders)
            .join(sessions, sessions.c.session_id == session_reminders.c.session_id)
            .where(_due(now), _is(key))
            .with_for_update(of=session_reminders, skip_locked=True)
        )
        row = rows.first()
        return None if row is None else DueReminder(key, row.starts_at)

    async def mark_sent(self, key: ReminderKey, *, now: datetime) -> None:
        await self._connection.execute(
            update(session_reminders).where(_is(key)).values(sent_at=now)
        )
