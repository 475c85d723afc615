"""The reminder schedule: one row per (session, sequence, offset), sent once."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert

from booking.adapters.tables import session_reminders, sessions
from booking.domain.sessions import SessionStatus
from shared.db import AnyRow, DbConnection


async def plan_reminders(
    db: DbConnection,
    *,
    session_id: UUID,
    sequence: int,
    due: list[tuple[int, datetime]],
    replace: bool = True,
) -> None:
    """Replace the session's unsent reminders with `due` (offset minutes, due at).

    `replace=False` for a session just inserted: it has none to drop.
    """
    if replace:
        await drop_unsent(db, session_id)
    if due:
        await db.execute(
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


async def drop_unsent(db: DbConnection, session_id: UUID) -> None:
    await db.execute(
        delete(session_reminders).where(
            session_reminders.c.session_id == session_id, session_reminders.c.sent_at.is_(None)
        )
    )


async def claim_due(db: DbConnection, *, now: datetime, limit: int) -> list[AnyRow]:
    """Due, unsent reminders of scheduled sessions, locked; other replicas skip them."""
    rows = await db.execute(
        select(
            session_reminders.c.session_id,
            session_reminders.c.sequence,
            session_reminders.c.offset_minutes,
            sessions.c.mentor_id,
            sessions.c.student_id,
            sessions.c.starts_at,
        )
        .join(sessions, sessions.c.session_id == session_reminders.c.session_id)
        .where(
            session_reminders.c.sent_at.is_(None),
            session_reminders.c.due_at <= now,
            session_reminders.c.sequence == sessions.c.sequence,
            sessions.c.status == SessionStatus.scheduled,
        )
        .order_by(session_reminders.c.due_at)
        .limit(limit)
        .with_for_update(of=session_reminders, skip_locked=True)
    )
    return list(rows)


async def mark_sent(db: DbConnection, row: AnyRow, *, now: datetime) -> None:
    await db.execute(
        update(session_reminders)
        .where(
            session_reminders.c.session_id == row.session_id,
            session_reminders.c.sequence == row.sequence,
            session_reminders.c.offset_minutes == row.offset_minutes,
        )
        .values(sent_at=now)
    )
