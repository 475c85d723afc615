"""`session.reminder_due` for every reminder whose time has come, once each."""

from booking.adapters.repositories import BookingUnitOfWork, ReminderKey
from booking.domain.sessions import reminder_too_late
from booking.service_layer.dependencies import Dependencies
from shared.messaging.events import SessionReminderDue


async def due_reminders(
    *, uow: BookingUnitOfWork, deps: Dependencies, limit: int
) -> list[ReminderKey]:
    """Reminders due now and not sent (not locked: `send_reminder` claims each)."""
    return await uow.reminders.due(now=deps.clock.now(), limit=limit)


async def send_reminder(key: ReminderKey, *, uow: BookingUnitOfWork, deps: Dependencies) -> bool:
    """Announce the reminder once (SKIP LOCKED: replicas share the work); True if handled.

    A reminder whose session has already started is marked done and not sent.
    """
    now = deps.clock.now()
    reminder = await uow.reminders.claim(key, now=now)
    if reminder is None:
        return False
    await uow.reminders.mark_sent(key, now=now)
    if reminder_too_late(reminder.starts_at, now=now):
        return True
    session = await uow.sessions.get(key.session_id)
    assert session is not None
    uow.record(
        SessionReminderDue(
            session_id=session.id,
            mentor_id=session.mentor_id,
            student_id=session.student_id,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            offset_minutes=key.offset_minutes,
            topic=session.topic,
            join_url=session.join_url,
            mentor_timezone=session.mentor_timezone,
        )
    )
    return True
