"""`session.reminder_due` for every reminder whose time has come, once each."""

from booking.adapters import reminders as reminders_repo
from booking.adapters import sessions as sessions_repo
from booking.service_layer.dependencies import Dependencies
from shared.messaging.events import SessionReminderDue
from shared.uow import UnitOfWork


async def send_due_reminders(*, uow: UnitOfWork, deps: Dependencies, limit: int) -> int:
    """Claim up to `limit` due reminders (SKIP LOCKED: replicas share the work), announce them."""
    now = deps.clock.now()
    due = await reminders_repo.claim_due(uow.connection, now=now, limit=limit)
    for reminder in due:
        session = await sessions_repo.get_session(uow.connection, reminder.session_id)
        assert session is not None
        await reminders_repo.mark_sent(uow.connection, reminder, now=now)
        uow.record(
            SessionReminderDue(
                session_id=session.id,
                mentor_id=session.mentor_id,
                student_id=session.student_id,
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                offset_minutes=reminder.offset_minutes,
                topic=session.topic,
                join_url=session.join_url,
                mentor_timezone=session.mentor_timezone,
            )
        )
    return len(due)
