"""The projection's merge rule: whatever order facts arrive in, the newest state wins."""

import itertools
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from video.domain.sessions import SessionStatus, SessionView

T = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
START = T + timedelta(days=1)


def booked(view: SessionView) -> None:
    view.move(starts_at=START, ends_at=START + timedelta(hours=1), at=T)
    view.set_status(SessionStatus.scheduled, at=T)


def rescheduled(view: SessionView) -> None:
    later = START + timedelta(days=1)
    view.move(starts_at=later, ends_at=later + timedelta(hours=1), at=T + timedelta(minutes=1))


def canceled(view: SessionView) -> None:
    view.set_status(SessionStatus.canceled, at=T + timedelta(minutes=2))


def a_view() -> SessionView:
    return SessionView(session_id=uuid.uuid4(), mentor_id="m1", student_id="s1")


@pytest.mark.parametrize("order", list(itertools.permutations([booked, rescheduled, canceled])))
def test_facts_in_every_order_end_in_the_newest_state(order):
    view = a_view()
    for fact in order:
        fact(view)
    assert view.status is SessionStatus.canceled
    assert view.starts_at == START + timedelta(days=1)


@pytest.mark.parametrize("order", list(itertools.permutations([booked, rescheduled])))
def test_a_reschedule_wins_over_its_booking_in_either_order(order):
    view = a_view()
    for fact in order:
        fact(view)
    assert (view.status, view.starts_at) == (SessionStatus.scheduled, START + timedelta(days=1))


def test_a_cancel_before_its_booking_ends_canceled_with_the_times_known():
    view = a_view()
    canceled(view)
    assert view.starts_at is None
    booked(view)
    assert view.status is SessionStatus.canceled
    assert view.starts_at == START


def test_a_fact_applied_twice_changes_nothing_the_second_time():
    view = a_view()
    booked(view)
    assert not view.move(starts_at=START, ends_at=START + timedelta(hours=1), at=T)
    assert not view.set_status(SessionStatus.scheduled, at=T)


def test_at_the_same_instant_an_ending_outranks_scheduled_in_either_order():
    first, second = a_view(), a_view()
    first.set_status(SessionStatus.scheduled, at=T)
    first.set_status(SessionStatus.completed, at=T)
    second.set_status(SessionStatus.completed, at=T)
    second.set_status(SessionStatus.scheduled, at=T)
    assert first.status is second.status is SessionStatus.completed
