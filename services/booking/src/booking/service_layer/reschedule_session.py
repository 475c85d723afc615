"""Move a session: the same checks as booking, the same credit, reminders at the new times."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from booking.adapters.repositories import BookingUnitOfWork
from booking.domain.availability import blocked_by
from booking.domain.errors import ScheduledAfterExpiration, TimeSlotUnavailable
from booking.domain.sessions import Session, participant, reminder_times
from booking.service_layer import session_events
from booking.service_layer.availability import bookable_slot, load_schedule
from booking.service_layer.booking_rules import check_rules
from booking.service_layer.cancel_session import locked_session
from booking.service_layer.dependencies import Dependencies


@dataclass(frozen=True)
class RescheduleSession:
    session_id: UUID
    user_id: str
    starts_at: datetime


async def reschedule_session(
    cmd: RescheduleSession, *, uow: BookingUnitOfWork, deps: Dependencies
) -> Session:
    """Moving to the time it already has is a no-op (a repeated request). The mentor's rules
    apply: a student's move within their reschedule notice or past their number of moves is
    refused, and the new time counts against their limits like a booking."""
    session = await locked_session(cmd.session_id, uow=uow)
    by = participant(session, cmd.user_id)
    if session.starts_at == cmd.starts_at:
        return session
    schedule = await load_schedule(uow.mentors, session.mentor_id)
    schedule.rules.check_reschedule(session, by=by, now=deps.clock.now())
    duration = int(session.duration.total_seconds() // 60)
    slot = await bookable_slot(
        uow.busy,
        schedule=schedule,
        mentor_id=session.mentor_id,
        start=cmd.starts_at,
        duration_minutes=duration,
        deps=deps,
        except_session=session.id,
    )
    await check_rules(
        uow.bookings,
        mentor_id=session.mentor_id,
        student_id=session.student_id,
        schedule=schedule,
        starts_at=slot.start,
        except_session=session.id,
        locked=True,
    )
    expires_at = await uow.packs.pack_expiry(session.pack_id)
    if expires_at is not None and slot.start >= expires_at:
        raise ScheduledAfterExpiration("the pack expires before that time")
    previous_start, previous_end = session.starts_at, session.ends_at
    session.reschedule(starts_at=slot.start, ends_at=slot.end)
    now = deps.clock.now()
    blocked = blocked_by(schedule, slot.start, slot.end)
    if not await uow.sessions.move(session, blocked=blocked, now=now):
        raise TimeSlotUnavailable("another session of the mentor takes that time")
    await uow.reminders.plan(
        session_id=session.id,
        sequence=session.sequence,
        due=reminder_times(session.starts_at, offsets=deps.policy.reminder_offsets, now=now),
    )
    uow.record(
        session_events.rescheduled(
            session, previous_starts_at=previous_start, previous_ends_at=previous_end
        )
    )
    return session
