"""Rows for booking's use-case unit tests, put straight into the fake repositories."""

import uuid
from datetime import UTC, datetime, time, timedelta

from booking.adapters.repositories import ReminderKey
from booking.domain.policy import Policy
from booking.domain.schedule import Hours, Schedule, Weekday
from booking.domain.sessions import Session, SessionStatus

# Monday 2026-03-02 08:00 UTC; the mentor works 09:00-17:00 UTC on weekdays.
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
MENTOR, STUDENT = "mentor-1", "student-1"
POLICY = Policy(late_cancel_window=timedelta(hours=24))
SCHEDULE = Schedule(
    timezone="UTC",
    weekly={day: (Hours(time(9), time(17)),) for day in list(Weekday)[:5]},
    notice=timedelta(hours=1),
)


def a_session(uow, *, starts_in: timedelta = timedelta(days=2), **changes) -> Session:
    """A scheduled hour with MENTOR and STUDENT, `starts_in` from NOW, and its reminders."""
    starts_at = NOW + starts_in
    values = dict(
        id=uuid.uuid4(),
        mentor_id=MENTOR,
        student_id=STUDENT,
        pack_id=uuid.uuid4(),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        status=SessionStatus.scheduled,
        topic="system design",
        join_url="http://app/sessions/x/join",
        mentor_timezone="UTC",
    )
    session = uow.sessions.put(Session(**{**values, **changes}))
    for offset in POLICY.reminder_offsets:
        minutes = int(offset.total_seconds() // 60)
        uow.reminders.due_at[ReminderKey(session.id, session.sequence, minutes)] = (
            starts_at - offset
        )
    return session
