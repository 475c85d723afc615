"""Packs' due-job use cases on the fake unit of work: expiry, holds and grace, without Postgres.

The locking (SKIP LOCKED between replicas, the capacity lock) stays in the integration tests.
"""

from datetime import timedelta

from packs.adapters.repositories import Due
from packs.domain.model import HoldStatus, PackStatus, ReleaseReason, SeatStatus
from packs.service_layer.expire_hold import expire_hold, holds_ended
from packs.service_layer.expire_pack import expire_pack, packs_expiring
from packs.service_layer.grace import (
    grace_warnings_due,
    graces_over,
    release_after_grace,
    warn_grace_expiring,
)
from shared.messaging.events import (
    MentorCapacityChanged,
    PackExpired,
    SeatGraceExpiring,
    SeatReleased,
)

from .builders import NOW, POLICY, a_hold, a_pack, a_seat, run_due_job


async def test_a_hold_past_its_deadline_frees_the_seat_and_announces_only_the_open_seats(uow, deps):
    ended = a_seat(uow, SeatStatus.held, held_until=NOW - timedelta(seconds=1))
    order = a_hold(uow, ended).order_id
    a_seat(uow, SeatStatus.held, held_until=NOW + timedelta(minutes=5))

    assert await run_due_job(holds_ended, expire_hold, uow=uow, deps=deps) == 1

    assert uow.seats.released == {ended.id: ReleaseReason.hold_ended}
    assert uow.holds.rows[order].status is HoldStatus.expired
    assert uow.events() == [
        MentorCapacityChanged(mentor_id="m1", capacity=3, live_seats=1, open_seats=2)
    ]


async def test_a_hold_another_replica_claimed_is_left_to_it(uow, deps):
    seat = a_seat(uow, SeatStatus.held, held_until=NOW - timedelta(seconds=1))
    uow.seats.taken.add(seat.id)

    async with uow:
        assert await expire_hold(Due(seat.id, "m1"), uow=uow, deps=deps) is False
        await uow.commit()

    assert (uow.seats.released, uow.events()) == ({}, [])


async def test_an_expired_pack_is_announced_with_its_unused_credits_and_its_seat_released(
    uow, deps
):
    seat = a_seat(uow, SeatStatus.active)
    pack = a_pack(uow, seat, expires_in=-timedelta(minutes=1))

    assert await run_due_job(packs_expiring, expire_pack, uow=uow, deps=deps) == 1

    assert uow.packs.rows[pack.id].status is PackStatus.expired
    assert uow.events() == [
        PackExpired(
            pack_id=pack.id, student_id="s1", mentor_id="m1", expired_at=NOW, unused_credits=3
        ),
        SeatReleased(seat_id=seat.id, student_id="s1", mentor_id="m1", reason="pack_expired"),
        MentorCapacityChanged(mentor_id="m1", capacity=3, live_seats=0, open_seats=3),
    ]


async def test_an_expired_pack_keeps_its_seat_while_a_booked_session_or_a_live_pack_holds_it(
    uow, deps
):
    booked = a_seat(uow, SeatStatus.active)
    a_pack(uow, booked, expires_in=-timedelta(minutes=1), reserved=1)
    renewed = a_seat(uow, SeatStatus.active)
    a_pack(uow, renewed, expires_in=-timedelta(minutes=1))
    a_pack(uow, renewed, expires_in=timedelta(days=30))

    assert await run_due_job(packs_expiring, expire_pack, uow=uow, deps=deps) == 2

    assert uow.seats.released == {}
    assert [type(event) for event in uow.events()] == [PackExpired, PackExpired]


async def test_a_pack_not_yet_past_its_expiry_is_not_found(uow, deps):
    a_pack(uow, a_seat(uow, SeatStatus.active), expires_in=timedelta(seconds=1))

    assert await run_due_job(packs_expiring, expire_pack, uow=uow, deps=deps) == 0
    assert uow.events() == []


async def test_the_grace_warning_goes_once_inside_the_final_window(uow, deps, clock):
    ends = NOW + POLICY.grace_warning + timedelta(minutes=30)
    seat = a_seat(uow, SeatStatus.grace, grace_ends_at=ends)

    assert await run_due_job(grace_warnings_due, warn_grace_expiring, uow=uow, deps=deps) == 0
    clock.advance(timedelta(minutes=30))
    assert await run_due_job(grace_warnings_due, warn_grace_expiring, uow=uow, deps=deps) == 1
    assert await run_due_job(grace_warnings_due, warn_grace_expiring, uow=uow, deps=deps) == 0

    assert uow.events() == [
        SeatGraceExpiring(seat_id=seat.id, student_id="s1", mentor_id="m1", grace_ends_at=ends)
    ]


async def test_a_seat_is_released_when_its_grace_ends_unless_a_booked_session_remains(
    uow, deps, clock
):
    over = a_seat(uow, SeatStatus.grace, grace_ends_at=NOW)
    a_pack(uow, over, expires_in=-timedelta(days=3))
    booked = a_seat(uow, SeatStatus.grace, grace_ends_at=NOW)
    a_pack(uow, booked, expires_in=-timedelta(days=3), reserved=1)
    a_seat(uow, SeatStatus.grace, grace_ends_at=NOW + timedelta(hours=1))

    assert await run_due_job(graces_over, release_after_grace, uow=uow, deps=deps) == 1

    assert uow.seats.released == {over.id: ReleaseReason.grace_over}
    assert uow.events() == [
        SeatReleased(seat_id=over.id, student_id="s1", mentor_id="m1", reason="grace_over"),
        MentorCapacityChanged(mentor_id="m1", capacity=3, live_seats=2, open_seats=1),
    ]


async def test_a_step_left_without_commit_announces_nothing(uow, deps):
    seat = a_seat(uow, SeatStatus.held, held_until=NOW - timedelta(seconds=1))

    async with uow:
        assert await expire_hold(Due(seat.id, "m1"), uow=uow, deps=deps) is True
        assert len(uow.recorded) == 1

    assert (uow.events(), uow.rollbacks) == ([], 1)
