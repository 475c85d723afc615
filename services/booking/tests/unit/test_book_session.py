"""The booking saga's rules that need no lock, on the fakes: what is refused before packs is asked.

Concurrent bookings of one time and one key sent twice at once stay on real Postgres
(`tests/integration/test_booking_sessions.py`).
"""

from datetime import timedelta

import pytest

from booking.domain.errors import (
    IdempotencyKeyReused,
    MentorNotFound,
    SlotNotOffered,
    TimeSlotUnavailable,
)
from booking.service_layer.book_session import BookSession, book_session

from .builders import MENTOR, NOW, STUDENT, a_session

TUESDAY_10 = (NOW + timedelta(days=1)).replace(hour=10)


def request(key: str = "key-1", **changes) -> BookSession:
    values = dict(
        student_id=STUDENT,
        mentor_id=MENTOR,
        starts_at=TUESDAY_10,
        duration_minutes=60,
        topic="system design",
        idempotency_key=key,
    )
    return BookSession(**{**values, **changes})


async def test_the_same_key_again_answers_the_booked_session_without_asking_packs(uow, deps):
    booked = a_session(uow, starts_in=TUESDAY_10 - NOW)
    cmd = request()
    uow.sessions.keys[(STUDENT, cmd.idempotency_key)] = (booked.id, cmd.fingerprint())

    again = await book_session(cmd, deps=deps)  # `deps.packs` fails the test if asked

    assert (again.session.id, again.created) == (booked.id, False)
    assert uow.events() == []


async def test_a_key_used_for_another_booking_is_refused(uow, deps):
    booked = a_session(uow, starts_in=TUESDAY_10 - NOW)
    uow.sessions.keys[(STUDENT, "key-1")] = (booked.id, request().fingerprint())

    with pytest.raises(IdempotencyKeyReused):
        await book_session(request(topic="something else"), deps=deps)


async def test_an_unknown_mentor_an_hour_off_and_a_taken_time_are_refused_before_packs(uow, deps):
    a_session(uow, student_id="another-student", starts_in=TUESDAY_10 - NOW)

    with pytest.raises(MentorNotFound):
        await book_session(request(mentor_id="nobody"), deps=deps)
    with pytest.raises(SlotNotOffered):
        await book_session(request(starts_at=TUESDAY_10.replace(hour=18)), deps=deps)
    with pytest.raises(TimeSlotUnavailable):
        await book_session(request(), deps=deps)
