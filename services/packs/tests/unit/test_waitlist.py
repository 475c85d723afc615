"""A full mentor's waitlist on the fake unit of work: joining, order, offers, their expiry,
leaving, and the offered student's checkout. Locks and races stay in the integration tests."""

import uuid
from datetime import timedelta

import pytest

from packs.domain.errors import AlreadySeated, NoSeatAvailable, SeatAvailable
from packs.domain.model import HoldOutcome, Seat, SeatStatus, WaitlistStatus
from packs.domain.waitlist import check_join
from packs.service_layer.change_capacity import ChangeCapacity, change_capacity
from packs.service_layer.expire_hold import expire_hold, holds_ended
from packs.service_layer.expire_pack import expire_pack, packs_expiring
from packs.service_layer.fulfil_purchase import fulfil_purchase
from packs.service_layer.grace import graces_over, release_after_grace
from packs.service_layer.hold_seat import HoldSeat, hold_seat
from packs.service_layer.join_waitlist import JoinWaitlist, join_waitlist
from packs.service_layer.leave_waitlist import LeaveWaitlist, leave_waitlist
from packs.service_layer.release_hold import release_hold
from packs.service_layer.revoke_pack import revoke_pack
from shared.messaging.events import PaymentRefunded, WaitlistSeatOffered
from shared.testing.events import a_purchase

from .builders import NOW, POLICY, a_pack, run_due_job
from .fakes import FakePacksUnitOfWork

OFFER = timedelta(hours=24)


def seated(uow: FakePacksUnitOfWork, *students: str) -> list[Seat]:
    """Active seats (with a pack each) of `students` with m1."""
    seats = []
    for student in students:
        seat = uow.seats.add_row(Seat(uuid.uuid4(), student, "m1", SeatStatus.active))
        a_pack(uow, seat, expires_in=timedelta(days=20), order_id=uuid.uuid4())
        seats.append(seat)
    return seats


def full(uow: FakePacksUnitOfWork) -> list[Seat]:
    """m1 at its capacity (3) with s1..s3."""
    return seated(uow, "s1", "s2", "s3")


async def run(use_case, command, *, uow, deps):
    async with uow:
        result = await use_case(command, uow=uow, deps=deps)
        await uow.commit()
    return result


async def join(student: str, *, uow, deps):
    return await run(join_waitlist, JoinWaitlist(student, "m1"), uow=uow, deps=deps)


async def refund_seat(seat: Seat, *, uow, deps) -> None:
    order = next(o for o, p in uow.packs.orders.items() if uow.packs.rows[p].seat_id == seat.id)
    refund = PaymentRefunded(
        order_id=order,
        refund_id=uuid.uuid4(),
        student_id=seat.student_id,
        mentor_id="m1",
        amount=10_000,
        currency="EUR",
        full=True,
        refunded_at=NOW,
    )
    await run(revoke_pack, refund, uow=uow, deps=deps)


def offers(uow: FakePacksUnitOfWork) -> list[WaitlistSeatOffered]:
    return [e for e in uow.events() if isinstance(e, WaitlistSeatOffered)]


def test_a_student_joins_only_a_full_mentor_and_only_without_a_seat():
    check_join(live_seat=None, capacity=2, live=2)
    check_join(live_seat=None, capacity=1, live=3)  # capacity lowered below the live seats
    with pytest.raises(SeatAvailable):
        check_join(live_seat=None, capacity=2, live=1)
    seat = Seat(uuid.uuid4(), "s1", "m1", SeatStatus.grace)
    with pytest.raises(AlreadySeated):
        check_join(live_seat=seat, capacity=2, live=2)


async def test_students_join_a_full_mentor_in_order_and_joining_twice_keeps_the_place(uow, deps):
    full(uow)

    first, second = await join("w1", uow=uow, deps=deps), await join("w2", uow=uow, deps=deps)
    again = await join("w1", uow=uow, deps=deps)

    assert (first.position, first.created, second.position) == (1, True, 2)
    assert (again.entry, again.position, again.created) == (first.entry, 1, False)
    assert first.entry.seq < second.entry.seq
    assert uow.events() == []


async def test_joining_a_mentor_with_a_free_seat_or_a_seat_of_ones_own_is_refused(uow, deps):
    seated(uow, "s1", "s2")
    with pytest.raises(SeatAvailable) as refused:
        await join("w1", uow=uow, deps=deps)
    assert refused.value.code == "SEAT_AVAILABLE"
    seated(uow, "s3")
    with pytest.raises(AlreadySeated) as refused_seated:
        await join("s1", uow=uow, deps=deps)
    assert refused_seated.value.code == "ALREADY_SEATED"
    assert uow.waitlist.rows == {}


async def test_a_released_seat_is_held_for_the_first_in_line_with_an_offer(uow, deps):
    seats = full(uow)
    for student in ("w1", "w2"):
        await join(student, uow=uow, deps=deps)

    await refund_seat(seats[0], uow=uow, deps=deps)

    [offer] = offers(uow)
    held = await uow.seats.live_of(student_id="w1", mentor_id="m1")
    assert held is not None and held.status is SeatStatus.held
    assert held.held_until == NOW + OFFER == offer.expires_at
    entry = await uow.waitlist.open_of(student_id="w1", mentor_id="m1")
    assert entry is not None and entry.status is WaitlistStatus.offered
    assert (offer.student_id, offer.mentor_id, offer.offer_id) == ("w1", "m1", entry.offer_id)
    assert entry.offer_seat_id == held.id
    w2 = await uow.waitlist.open_of(student_id="w2", mentor_id="m1")
    assert w2 is not None and await uow.waitlist.position(w2) == 1
    assert await uow.capacity.live_seats("m1") == 3


async def test_the_offered_student_s_checkout_takes_the_held_seat_others_find_it_full(uow, deps):
    seats = full(uow)
    await join("w1", uow=uow, deps=deps)
    await refund_seat(seats[0], uow=uow, deps=deps)
    offered = await uow.seats.live_of(student_id="w1", mentor_id="m1")
    assert offered is not None

    with pytest.raises(NoSeatAvailable):
        await run(hold_seat, HoldSeat(uuid.uuid4(), "other", "m1"), uow=uow, deps=deps)
    held = await run(hold_seat, HoldSeat(order := uuid.uuid4(), "w1", "m1"), uow=uow, deps=deps)
    assert (held.seat_id, held.outcome, held.held_until) == (
        offered.id,
        HoldOutcome.held,
        NOW + OFFER,
    )

    # A failed payment does not end the offer: the seat stays held until it expires.
    assert await run(release_hold, order, uow=uow, deps=deps) is False
    held_again = await uow.seats.live_of(student_id="w1", mentor_id="m1")
    assert held_again is not None and held_again.status is SeatStatus.held

    purchase = a_purchase("w1", "m1", paid_at=NOW, order_id=uuid.uuid4())
    await run(fulfil_purchase, purchase, uow=uow, deps=deps)
    assert uow.seats.rows[offered.id].status is SeatStatus.active
    assert uow.waitlist.status_of("w1") == [WaitlistStatus.accepted]


async def test_an_unused_offer_expires_by_the_due_job_and_passes_to_the_next(uow, deps, clock):
    seats = full(uow)
    for student in ("w1", "w2"):
        await join(student, uow=uow, deps=deps)
    await refund_seat(seats[0], uow=uow, deps=deps)

    clock.advance(OFFER - timedelta(seconds=1))
    assert await run_due_job(holds_ended, expire_hold, uow=uow, deps=deps) == 0
    clock.advance(timedelta(seconds=1))
    assert await run_due_job(holds_ended, expire_hold, uow=uow, deps=deps) == 1

    assert uow.waitlist.status_of("w1") == [WaitlistStatus.expired]
    assert [o.student_id for o in offers(uow)] == ["w1", "w2"]
    assert offers(uow)[-1].expires_at == clock.now() + OFFER
    assert await uow.seats.live_of(student_id="w1", mentor_id="m1") is None
    assert await uow.capacity.live_seats("m1") == 3


async def test_leaving_with_an_offer_passes_it_on_leaving_while_waiting_moves_the_line_up(
    uow, deps
):
    seats = full(uow)
    for student in ("w1", "w2", "w3"):
        await join(student, uow=uow, deps=deps)
    await refund_seat(seats[0], uow=uow, deps=deps)

    assert await run(leave_waitlist, LeaveWaitlist("w1", "m1"), uow=uow, deps=deps) is True
    assert [o.student_id for o in offers(uow)] == ["w1", "w2"]
    assert await uow.seats.live_of(student_id="w1", mentor_id="m1") is None

    w3 = await uow.waitlist.open_of(student_id="w3", mentor_id="m1")
    assert w3 is not None and await uow.waitlist.position(w3) == 1
    assert await run(leave_waitlist, LeaveWaitlist("w3", "m1"), uow=uow, deps=deps) is True
    assert await run(leave_waitlist, LeaveWaitlist("w3", "m1"), uow=uow, deps=deps) is False
    assert uow.waitlist.status_of("w3") == [WaitlistStatus.left]
    assert len(offers(uow)) == 2


async def test_raising_the_capacity_offers_each_new_seat_to_the_next_in_line(uow, deps):
    full(uow)
    for student in ("w1", "w2", "w3"):
        await join(student, uow=uow, deps=deps)

    view = await run(change_capacity, ChangeCapacity("m1", 5), uow=uow, deps=deps)

    assert [o.student_id for o in offers(uow)] == ["w1", "w2"]
    assert (view.live_seats, view.open_seats) == (5, 0)
    assert uow.waitlist.status_of("w3") == [WaitlistStatus.waiting]


async def test_a_student_who_left_may_join_again_at_the_end(uow, deps):
    full(uow)
    await join("w1", uow=uow, deps=deps)
    await join("w2", uow=uow, deps=deps)
    await run(leave_waitlist, LeaveWaitlist("w1", "m1"), uow=uow, deps=deps)

    again = await join("w1", uow=uow, deps=deps)

    assert (again.created, again.position) == (True, 2)
    assert uow.waitlist.status_of("w1") == [WaitlistStatus.left, WaitlistStatus.waiting]
    assert POLICY.offer == OFFER


async def test_a_seat_released_after_grace_or_expiry_is_offered_to_the_first_in_line(
    uow, deps, clock
):
    in_grace = uow.seats.add_row(
        Seat(uuid.uuid4(), "s1", "m1", SeatStatus.grace, grace_ends_at=NOW + timedelta(hours=1))
    )
    a_pack(uow, in_grace, expires_in=timedelta(days=20))
    expiring = seated(uow, "s2")[0]
    uow.packs.rows[next(iter(await uow.packs.of_seat(expiring.id))).id].expires_at = NOW + (
        timedelta(hours=2)
    )
    seated(uow, "s3")
    for student in ("w1", "w2", "w3"):
        await join(student, uow=uow, deps=deps)

    clock.advance(timedelta(hours=1))
    assert await run_due_job(graces_over, release_after_grace, uow=uow, deps=deps) == 1
    assert [o.student_id for o in offers(uow)] == ["w1"]
    clock.advance(timedelta(hours=1))
    assert await run_due_job(packs_expiring, expire_pack, uow=uow, deps=deps) == 1
    assert [o.student_id for o in offers(uow)] == ["w1", "w2"]
    assert await uow.capacity.live_seats("m1") == 3
