"""Seat rules: holds against capacity, grace timing, when a seat may be released."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from packs.domain.cancellation import Canceller, forfeits_credit
from packs.domain.errors import InvalidHold, NoSeatAvailable
from packs.domain.model import Pack, PackStatus, ReleaseReason, Seat, SeatStatus
from packs.domain.policy import Policy
from packs.domain.seats import (
    decide_hold,
    grace_warning_due,
    hold_deadline,
    open_seats,
    release_reason,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
POLICY = Policy()


def a_seat(status=SeatStatus.active, **fields) -> Seat:
    return Seat(id=uuid.uuid4(), student_id="s", mentor_id="m", status=status, **fields)


def a_pack(*, status=PackStatus.active, used=0, reserved=0, expires_in=30) -> Pack:
    return Pack(
        id=uuid.uuid4(),
        seat_id=uuid.uuid4(),
        student_id="s",
        mentor_id="m",
        status=status,
        sessions_total=4,
        sessions_used=used,
        sessions_reserved=reserved,
        expires_at=NOW + timedelta(days=expires_in),
    )


def in_grace(ends_in: timedelta, warned: bool = False) -> Seat:
    return a_seat(
        SeatStatus.grace, grace_ends_at=NOW + ends_in, grace_warning_sent_at=NOW if warned else None
    )


def test_a_full_mentor_refuses_a_new_hold():
    with pytest.raises(NoSeatAvailable):
        decide_hold(live_seat=None, live_count=3, capacity=3, until=NOW)


def test_a_capacity_lowered_below_the_live_seats_blocks_holds_and_shows_no_open_seat():
    assert open_seats(capacity=2, live=5) == 0
    with pytest.raises(NoSeatAvailable):
        decide_hold(live_seat=None, live_count=5, capacity=2, until=NOW)


def test_a_student_with_a_live_seat_renews_without_a_new_seat_even_when_full():
    for status in (SeatStatus.active, SeatStatus.grace):
        decision = decide_hold(live_seat=a_seat(status), live_count=3, capacity=3, until=NOW)
        assert decision.outcome == "renewal"


def test_a_second_checkout_shares_the_open_hold_and_keeps_the_later_deadline():
    held = a_seat(SeatStatus.held, held_until=NOW + timedelta(minutes=20))
    decision = decide_hold(
        live_seat=held, live_count=3, capacity=3, until=NOW + timedelta(minutes=30)
    )
    assert (decision.outcome, decision.held_until) == ("share", NOW + timedelta(minutes=30))


def test_a_hold_lasts_thirty_minutes_unless_asked_otherwise_within_limits():
    assert hold_deadline(requested=None, now=NOW, policy=POLICY) == NOW + timedelta(minutes=30)
    with pytest.raises(InvalidHold):
        hold_deadline(requested=NOW, now=NOW, policy=POLICY)
    with pytest.raises(InvalidHold):
        hold_deadline(requested=NOW + timedelta(days=2), now=NOW, policy=POLICY)


def test_the_grace_warning_is_due_from_twelve_hours_before_the_end_and_only_once():
    assert not grace_warning_due(in_grace(timedelta(hours=12, seconds=1)), now=NOW, policy=POLICY)
    assert grace_warning_due(in_grace(timedelta(hours=12)), now=NOW, policy=POLICY)
    assert grace_warning_due(in_grace(timedelta(minutes=1)), now=NOW, policy=POLICY)
    assert not grace_warning_due(in_grace(timedelta(hours=1), warned=True), now=NOW, policy=POLICY)
    assert not grace_warning_due(in_grace(timedelta(0)), now=NOW, policy=POLICY)


def test_a_seat_is_never_released_inside_its_grace_period():
    seat = in_grace(timedelta(seconds=1))
    assert (
        release_reason(seat=seat, packs=[a_pack(status=PackStatus.depleted, used=4)], now=NOW)
        is None
    )
    assert release_reason(seat=seat, packs=[], now=NOW + timedelta(seconds=1)) == (
        ReleaseReason.grace_over
    )


def test_a_seat_whose_packs_expired_is_kept_while_a_session_is_booked():
    seat = a_seat()
    expired = a_pack(status=PackStatus.expired, reserved=1, expires_in=-1)
    assert release_reason(seat=seat, packs=[expired], now=NOW) is None
    expired.sessions_reserved = 0
    assert release_reason(seat=seat, packs=[expired], now=NOW) == ReleaseReason.pack_expired


def test_a_seat_with_a_live_pack_is_kept():
    packs = [a_pack(status=PackStatus.expired, expires_in=-1), a_pack()]
    assert release_reason(seat=a_seat(), packs=packs, now=NOW) is None


def test_only_a_students_late_cancel_forfeits_the_credit():
    assert forfeits_credit(canceled_by=Canceller.student, late=True)
    assert not forfeits_credit(canceled_by=Canceller.student, late=False)
    assert not forfeits_credit(canceled_by=Canceller.mentor, late=True)
    assert not forfeits_credit(canceled_by=Canceller.system, late=True)
