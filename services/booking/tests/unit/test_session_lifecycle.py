"""The session lifecycle and reminder times, on plain objects."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from booking.domain.errors import IllegalTransition, SessionNotScheduled
from booking.domain.sessions import Actor, Session, SessionStatus, reminder_times

START = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
WINDOW = timedelta(hours=24)


def session(**changes) -> Session:
    values = dict(
        id=uuid.uuid4(),
        mentor_id="m",
        student_id="s",
        pack_id=uuid.uuid4(),
        starts_at=START,
        ends_at=START + timedelta(hours=1),
        status=SessionStatus.scheduled,
        topic="system design interviews",
        join_url="http://app/sessions/x/join",
        mentor_timezone="Europe/Berlin",
    )
    return Session(**{**values, **changes})


def test_a_student_cancelling_inside_the_window_cancels_late_a_mentor_never_does():
    on_time, late, by_mentor = session(), session(), session()
    assert on_time.cancel(
        by=Actor.student, now=START - timedelta(hours=25), reason="", late_window=WINDOW
    )
    assert late.cancel(
        by=Actor.student, now=START - timedelta(hours=2), reason="", late_window=WINDOW
    )
    assert by_mentor.cancel(
        by=Actor.mentor, now=START - timedelta(hours=2), reason="", late_window=WINDOW
    )
    assert (on_time.late, late.late, by_mentor.late) == (False, True, False)
    assert late.canceled_at == START - timedelta(hours=2)


def test_cancelling_twice_is_one_change_and_a_held_session_cannot_be_canceled():
    s = session()
    now = START - timedelta(days=2)
    assert s.cancel(by=Actor.student, now=now, reason="", late_window=WINDOW) is True
    assert s.cancel(by=Actor.student, now=now, reason="", late_window=WINDOW) is False
    held = session()
    held.settle(SessionStatus.completed, now=START + timedelta(minutes=5))
    with pytest.raises(IllegalTransition):
        held.cancel(by=Actor.mentor, now=START, reason="", late_window=WINDOW)


def test_a_student_cannot_cancel_once_started_but_the_mentor_can():
    now = START + timedelta(minutes=5)
    with pytest.raises(IllegalTransition):
        session().cancel(by=Actor.student, now=now, reason="", late_window=WINDOW)
    assert session().cancel(by=Actor.mentor, now=now, reason="did not come", late_window=WINDOW)


def test_completing_is_once_only_after_the_start_and_never_after_a_cancel():
    s = session()
    with pytest.raises(IllegalTransition):
        s.settle(SessionStatus.completed, now=START - timedelta(minutes=1))
    assert s.settle(SessionStatus.completed, now=START + timedelta(minutes=70)) is True
    assert s.settle(SessionStatus.completed, now=START + timedelta(minutes=90)) is False
    assert s.completed_at == START + timedelta(minutes=70)
    with pytest.raises(IllegalTransition):
        s.settle(SessionStatus.no_show, now=START + timedelta(minutes=90))
    canceled = session(status=SessionStatus.canceled, canceled_at=START)
    with pytest.raises(IllegalTransition):
        canceled.settle(SessionStatus.completed, now=START + timedelta(hours=2))


def test_rescheduling_bumps_the_sequence_and_only_a_scheduled_session_moves():
    s = session()
    previous = s.reschedule(
        starts_at=START + timedelta(days=1), ends_at=START + timedelta(days=1, hours=1)
    )
    assert (previous, s.sequence) == (START, 1)
    with pytest.raises(SessionNotScheduled):
        session(status=SessionStatus.completed).reschedule(starts_at=START, ends_at=START)


def test_reminders_for_offsets_already_past_are_never_planned():
    offsets = (timedelta(hours=24), timedelta(minutes=10))
    assert reminder_times(START, offsets=offsets, now=START - timedelta(days=3)) == [
        (1440, START - timedelta(hours=24)),
        (10, START - timedelta(minutes=10)),
    ]
    assert reminder_times(START, offsets=offsets, now=START - timedelta(hours=2)) == [
        (10, START - timedelta(minutes=10))
    ]
