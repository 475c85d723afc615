"""The events a session's changes announce, built from the session in one place.

The use cases record them; `snapshot.session` replays a session's facts with the same builders.
"""

from datetime import datetime

from booking.domain.sessions import Actor, Session
from shared.messaging.events import (
    SessionBooked,
    SessionCanceled,
    SessionCompleted,
    SessionNoShow,
    SessionRescheduled,
)


def booked(session: Session) -> SessionBooked:
    """The booking as it stands now (times after any reschedule); its status is `scheduled`."""
    return SessionBooked(
        session_id=session.id,
        mentor_id=session.mentor_id,
        student_id=session.student_id,
        pack_id=session.pack_id,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        join_url=session.join_url,
        mentor_timezone=session.mentor_timezone,
        topic=session.topic,
    )


def canceled(session: Session) -> SessionCanceled:
    return SessionCanceled(
        session_id=session.id,
        mentor_id=session.mentor_id,
        student_id=session.student_id,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        canceled_by=(session.canceled_by or Actor.system).value,
        late=session.late,
        reason=session.cancel_reason,
        topic=session.topic,
    )


def completed(session: Session) -> SessionCompleted:
    assert session.completed_at is not None
    return SessionCompleted(
        session_id=session.id,
        mentor_id=session.mentor_id,
        student_id=session.student_id,
        completed_at=session.completed_at,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
    )


def no_show(session: Session, *, now: datetime) -> SessionNoShow:
    return SessionNoShow(
        session_id=session.id,
        mentor_id=session.mentor_id,
        student_id=session.student_id,
        recorded_at=now,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
    )


def rescheduled(
    session: Session, *, previous_starts_at: datetime, previous_ends_at: datetime
) -> SessionRescheduled:
    return SessionRescheduled(
        session_id=session.id,
        mentor_id=session.mentor_id,
        student_id=session.student_id,
        previous_starts_at=previous_starts_at,
        previous_ends_at=previous_ends_at,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        sequence=session.sequence,
        topic=session.topic,
        join_url=session.join_url,
        mentor_timezone=session.mentor_timezone,
    )
