"""Keep the mentor's calendar in step with booking: an event per session, moved, deleted."""

from booking.domain.calendar import CalendarEntry
from booking.service_layer.dependencies import Dependencies
from shared.messaging.events import SessionBooked, SessionCanceled, SessionRescheduled


async def add_session_event(event: SessionBooked, *, deps: Dependencies) -> None:
    """Runs after commit (a consumer of `session.booked`); a retry updates the same event."""
    await deps.calendar.put_event(
        event.mentor_id,
        CalendarEntry(
            session_id=event.session_id,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            timezone=event.mentor_timezone,
            summary=f"Mentorship: {event.topic}" if event.topic else "Mentorship session",
            description=f"With {event.student_id}. Join: {event.join_url}",
        ),
    )


async def move_session_event(event: SessionRescheduled, *, deps: Dependencies) -> None:
    await deps.calendar.put_event(
        event.mentor_id,
        CalendarEntry(
            session_id=event.session_id,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            timezone=event.mentor_timezone or "UTC",
            summary=f"Mentorship: {event.topic}" if event.topic else "Mentorship session",
            description=f"With {event.student_id}. Join: {event.join_url}",
        ),
    )


async def remove_session_event(event: SessionCanceled, *, deps: Dependencies) -> None:
    await deps.calendar.remove_event(event.mentor_id, event.session_id)
