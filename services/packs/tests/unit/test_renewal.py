"""Renewal reminders come from the sessions left across live packs, not session numbers."""

import uuid
from datetime import UTC, datetime, timedelta

from packs.domain.model import Pack, PackStatus, Seat, SeatStatus
from packs.domain.policy import Policy
from packs.domain.renewal import after_consumption, sessions_left

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
POLICY = Policy()


def a_pack(
    total: int, used: int = 0, reserved: int = 0, *, status=PackStatus.active, expires_in: int = 30
) -> Pack:
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


SEAT = Seat(id=uuid.uuid4(), student_id="s", mentor_id="m", status=SeatStatus.active)


def reminders_while_using(packs: list[Pack]) -> list[tuple[int, int | None]]:
    """(session number, reminder) for each consumption until every pack is used up."""
    seen = []
    number = 0
    for pack in packs:
        while pack.sessions_used < pack.sessions_total:
            pack.reserve_one()
            pack.consume_one()
            number += 1
            step = after_consumption(packs=packs, seat=SEAT, now=NOW, policy=POLICY)
            seen.append((number, step.remind_with_left))
    return [(n, left) for n, left in seen if left is not None]


def test_a_four_session_pack_reminds_at_one_left_and_at_none():
    assert reminders_while_using([a_pack(4)]) == [(3, 1), (4, 0)]


def test_a_six_session_pack_reminds_at_one_left_and_at_none_not_at_session_three():
    assert reminders_while_using([a_pack(6)]) == [(5, 1), (6, 0)]


def test_a_stacked_renewal_moves_the_reminders_to_the_end_of_both_packs():
    assert reminders_while_using([a_pack(4), a_pack(4)]) == [(7, 1), (8, 0)]


def test_sessions_already_booked_still_count_as_left():
    assert sessions_left([a_pack(4, used=1, reserved=3)], NOW) == 3


def test_expired_and_refunded_packs_leave_nothing():
    packs = [
        a_pack(4, status=PackStatus.expired),
        a_pack(4, status=PackStatus.refunded),
        a_pack(4, expires_in=-1),
    ]
    assert sessions_left(packs, NOW) == 0


def test_the_last_session_starts_grace_for_seventy_two_hours():
    step = after_consumption(
        packs=[a_pack(4, used=4, status=PackStatus.depleted)], seat=SEAT, now=NOW, policy=POLICY
    )
    assert step.remind_with_left == 0
    assert step.grace_ends_at == NOW + timedelta(hours=72)


def test_a_consumption_with_several_sessions_left_changes_nothing():
    step = after_consumption(packs=[a_pack(4, used=1)], seat=SEAT, now=NOW, policy=POLICY)
    assert step.remind_with_left is None and step.grace_ends_at is None


def test_a_pack_is_depleted_by_the_consumption_of_its_last_credit_and_only_then():
    pack = Pack(
        id=uuid.uuid4(),
        seat_id=uuid.uuid4(),
        student_id="s",
        mentor_id="m",
        status=PackStatus.active,
        sessions_total=2,
        sessions_used=0,
        sessions_reserved=0,
        expires_at=NOW + timedelta(days=30),
    )
    pack.reserve_one()
    pack.reserve_one()
    assert (pack.remaining, pack.unconsumed) == (0, 2)
    pack.release_one()
    assert pack.remaining == 1
    assert pack.consume_one() is False
    assert (pack.sessions_used, pack.sessions_reserved, pack.status) == (1, 0, PackStatus.active)
    pack.reserve_one()
    assert pack.consume_one() is True
    assert (pack.sessions_used, pack.sessions_reserved, pack.status) == (2, 0, PackStatus.depleted)
