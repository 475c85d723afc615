"""Eligibility checks run in their stated order and pick the pack that expires first."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from packs.domain.eligibility import choose_pack, judge
from packs.domain.errors import Ineligible
from packs.domain.model import Pack, PackStatus, Seat, SeatStatus

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SOON = NOW + timedelta(days=2)


def a_pack(*, status=PackStatus.active, total=4, used=0, reserved=0, expires_in=30) -> Pack:
    return Pack(
        id=uuid.uuid4(),
        seat_id=uuid.uuid4(),
        student_id="s",
        mentor_id="m",
        status=status,
        sessions_total=total,
        sessions_used=used,
        sessions_reserved=reserved,
        expires_at=NOW + timedelta(days=expires_in),
    )


def a_seat(status=SeatStatus.active) -> Seat:
    return Seat(
        id=uuid.uuid4(),
        student_id="s",
        mentor_id="m",
        status=status,
        grace_ends_at=NOW + timedelta(hours=72) if status is SeatStatus.grace else None,
    )


def code_for(packs, seat=None, starts_at=SOON) -> str | None:
    return judge(packs=packs, seat=seat or a_seat(), starts_at=starts_at, now=NOW).code


def test_a_student_without_a_pack_gets_pack_not_found():
    assert code_for([]) == "PACK_NOT_FOUND"


def test_a_pack_past_its_validity_is_expired_even_before_the_job_marks_it():
    assert code_for([a_pack(expires_in=-1)]) == "PACK_EXPIRED"
    assert code_for([a_pack(status=PackStatus.expired, expires_in=5)]) == "PACK_EXPIRED"


def test_a_session_must_start_before_the_pack_expires():
    assert code_for([a_pack(expires_in=3)], starts_at=NOW + timedelta(days=4)) == (
        "SCHEDULED_AFTER_EXPIRATION"
    )


def test_a_refunded_pack_is_not_active():
    assert code_for([a_pack(status=PackStatus.refunded)]) == "PACK_NOT_ACTIVE"


def test_a_pack_with_every_credit_used_or_booked_has_no_remaining_sessions():
    assert code_for([a_pack(total=4, used=2, reserved=2)]) == "NO_REMAINING_SESSIONS"
    assert code_for([a_pack(status=PackStatus.depleted, used=4)]) == "NO_REMAINING_SESSIONS"


def test_a_seat_in_grace_cannot_book():
    assert code_for([a_pack()], seat=a_seat(SeatStatus.grace)) == "SEAT_NOT_ACTIVE"


def test_the_checks_fail_in_their_stated_order():
    expired = a_pack(expires_in=-1)
    refunded = a_pack(status=PackStatus.refunded)
    full = a_pack(used=4)
    grace = a_seat(SeatStatus.grace)
    # A refunded pack is only reported once no unexpired pack is in time, and so on.
    assert code_for([expired, refunded], seat=grace) == "PACK_NOT_ACTIVE"
    assert code_for([full, refunded], seat=grace) == "NO_REMAINING_SESSIONS"
    assert code_for([expired], seat=grace) == "PACK_EXPIRED"
    assert code_for([a_pack(expires_in=1)], seat=grace, starts_at=NOW + timedelta(days=2)) == (
        "SCHEDULED_AFTER_EXPIRATION"
    )


def test_a_booking_draws_from_the_pack_that_expires_first_and_still_has_room():
    later = a_pack(expires_in=40)
    earlier_full = a_pack(expires_in=10, used=3, reserved=1)
    earlier = a_pack(expires_in=20)
    chosen = choose_pack(
        packs=[later, earlier_full, earlier], seat=a_seat(), starts_at=SOON, now=NOW
    )
    assert chosen is earlier


def test_a_pack_that_expires_before_the_session_is_skipped_for_a_later_one():
    short = a_pack(expires_in=1)
    long = a_pack(expires_in=30)
    chosen = choose_pack(
        packs=[short, long], seat=a_seat(), starts_at=NOW + timedelta(days=3), now=NOW
    )
    assert chosen is long


def test_refusal_carries_the_stable_code():
    with pytest.raises(Ineligible) as refused:
        choose_pack(packs=[], seat=None, starts_at=SOON, now=NOW)
    assert refused.value.code == "PACK_NOT_FOUND"


def test_without_a_start_time_the_expiry_check_of_the_session_is_skipped():
    verdict = judge(packs=[a_pack(expires_in=1)], seat=a_seat(), starts_at=None, now=NOW)
    assert verdict.eligible
