"""Seat holds for checkout: capacity under concurrency, idempotency, renewal, release."""

import asyncio
import uuid
from datetime import timedelta

import pytest

from packs.adapters.capacity import lock_capacity
from packs.entrypoints.jobs import EXPIRE_HOLDS
from packs.service_layer.change_capacity import ChangeCapacity, change_capacity
from packs.service_layer.hold_seat import HoldSeat, hold_seat
from packs.service_layer.release_hold import release_hold
from shared.errors import DomainError
from shared.messaging import RemoteError
from shared.messaging import packs_requests as contract
from shared.messaging.events import MentorCapacityChanged, PaymentFailed
from shared.testing.helpers import eventually


async def test_fifty_concurrent_holds_for_three_open_seats_give_exactly_three(packs_app):
    await packs_app.run(change_capacity, ChangeCapacity("mentor-1", 3))

    async def hold(n: int):
        try:
            return await packs_app.run(hold_seat, HoldSeat(uuid.uuid4(), f"s{n}", "mentor-1"))
        except DomainError as refused:
            return refused.code

    results = await asyncio.gather(*(hold(n) for n in range(50)))
    held = [r for r in results if not isinstance(r, str)]
    assert len(held) == 3
    assert sorted(set(r for r in results if isinstance(r, str))) == ["NO_SEAT_AVAILABLE"]
    live = await packs_app.count(
        "SELECT count(*) FROM seats WHERE mentor_id = 'mentor-1' AND status = 'held'"
    )
    assert live == 3
    announced = await packs_app.recorded(MentorCapacityChanged)
    # Each new seat's announcement counts it (no recount); outbox order need not be commit order.
    assert sorted((e.live_seats, e.open_seats) for e in announced) == [
        (0, 3),
        (1, 2),
        (2, 1),
        (3, 0),
    ]


async def test_fifty_concurrent_hold_requests_over_nats_give_exactly_three(packs_app):
    await packs_app.run(change_capacity, ChangeCapacity("mentor-1", 3))
    requester = packs_app.runtime.bus.requester

    async def hold(n: int) -> str:
        request = contract.SeatHoldRequest(
            order_id=uuid.uuid4(), student_id=f"s{n}", mentor_id="mentor-1"
        )
        try:
            reply = await requester.request(
                contract.SEAT_HOLD, request, contract.SeatHoldReply, timeout=10
            )
            return reply.outcome
        except RemoteError as refused:
            return refused.code

    results = await asyncio.gather(*(hold(n) for n in range(50)))
    assert results.count("held") == 3
    assert results.count("NO_SEAT_AVAILABLE") == 47


async def test_the_same_order_asking_twice_gets_the_same_hold(packs_app):
    order = uuid.uuid4()
    first, second = await asyncio.gather(
        packs_app.hold("s1", "m1", order_id=order), packs_app.hold("s1", "m1", order_id=order)
    )
    assert first == second
    assert len(await packs_app.seats_of("s1", "m1")) == 1


async def test_a_student_with_an_active_seat_is_told_renewal_even_when_the_mentor_is_full(
    packs_app,
):
    await packs_app.run(change_capacity, ChangeCapacity("m1", 1))
    await packs_app.buy("s1", "m1")
    answer = await packs_app.hold("s1", "m1")
    assert answer.outcome == "renewal"
    assert answer.seat_id == (await packs_app.seat("s1", "m1")).id
    with pytest.raises(DomainError) as refused:
        await packs_app.hold("s2", "m1")
    assert refused.value.code == "NO_SEAT_AVAILABLE"


async def test_a_second_checkout_of_the_same_student_shares_the_held_seat(packs_app):
    first = await packs_app.hold("s1", "m1")
    second = await packs_app.hold("s1", "m1")
    assert (second.outcome, second.seat_id) == ("held", first.seat_id)
    await packs_app.run(release_hold, first.order_id)
    assert (await packs_app.seat("s1", "m1")).status == "held"  # the other checkout keeps it
    await packs_app.run(release_hold, second.order_id)
    assert (await packs_app.seat("s1", "m1")).status == "released"


async def test_a_failed_payment_releases_the_hold_and_reopens_the_seat(packs_app):
    await packs_app.run(change_capacity, ChangeCapacity("m1", 1))
    held = await packs_app.hold("s1", "m1")
    await packs_app.publish(
        PaymentFailed(
            order_id=held.order_id, student_id="s1", mentor_id="m1", reason="checkout expired"
        )
    )

    async def released() -> bool:
        return (await packs_app.seat("s1", "m1")).status == "released"

    await eventually(released)
    assert (await packs_app.hold("s2", "m1")).outcome == "held"


async def test_a_hold_expires_on_its_own_after_thirty_minutes(packs_app):
    await packs_app.run(change_capacity, ChangeCapacity("m1", 1))
    held = await packs_app.hold("s1", "m1")
    packs_app.clock.advance(timedelta(minutes=29, seconds=59))
    assert await packs_app.run_job(EXPIRE_HOLDS) == 0
    packs_app.clock.advance(timedelta(seconds=1))
    assert await packs_app.run_job(EXPIRE_HOLDS) == 1
    assert (await packs_app.seat("s1", "m1")).status == "released"
    with pytest.raises(DomainError) as refused:
        await packs_app.hold("s1", "m1", order_id=held.order_id)
    assert refused.value.code == "HOLD_EXPIRED"
    assert (await packs_app.hold("s2", "m1")).outcome == "held"


async def test_every_change_of_open_seats_is_announced_with_the_counts(packs_app):
    await packs_app.run(change_capacity, ChangeCapacity("m1", 2))
    held = await packs_app.hold("s1", "m1")
    await packs_app.run(release_hold, held.order_id)
    announced = await packs_app.recorded(MentorCapacityChanged)
    assert [(e.capacity, e.live_seats, e.open_seats) for e in announced] == [
        (2, 0, 2),
        (2, 1, 1),
        (2, 0, 2),
    ]


async def test_lowering_capacity_below_live_seats_frees_nothing_and_blocks_new_holds(packs_app):
    for student in ("s1", "s2", "s3"):
        await packs_app.buy(student, "m1")
    view = await packs_app.run(change_capacity, ChangeCapacity("m1", 1))
    assert (view.live_seats, view.open_seats) == (3, 0)
    assert await packs_app.count("SELECT count(*) FROM seats WHERE status = 'active'") == 3
    with pytest.raises(DomainError) as refused:
        await packs_app.hold("s4", "m1")
    assert refused.value.code == "NO_SEAT_AVAILABLE"


async def test_a_first_use_racing_another_waits_for_it_and_reads_the_row_it_committed(packs_app):
    """The capacity lock is one statement (insert-or-lock); the one that lost the first-use race
    sees neither row in its snapshot and takes the lock in a second statement."""
    async with packs_app.runtime.uow() as first:
        assert await lock_capacity(first.connection, mentor_id="new", default=7) == 7
        async with packs_app.runtime.uow() as second:
            waiting = asyncio.create_task(
                lock_capacity(second.connection, mentor_id="new", default=9)
            )
            await asyncio.sleep(0.3)
            assert not waiting.done()  # behind the first's uncommitted row
            await first.commit()
            assert await waiting == 7
            await second.commit()
    assert await packs_app.count("SELECT count(*) FROM mentor_capacity") == 1


async def test_thirty_concurrent_first_holds_of_a_mentor_never_configured_give_its_default(
    packs_app,
):
    async def hold(n: int):
        try:
            return await packs_app.run(hold_seat, HoldSeat(uuid.uuid4(), f"s{n}", "fresh"))
        except DomainError as refused:
            return refused.code

    results = await asyncio.gather(*(hold(n) for n in range(30)))
    default = packs_app.deps.policy.default_capacity
    assert len([r for r in results if not isinstance(r, str)]) == default
    assert await packs_app.count("SELECT count(*) FROM seats WHERE status = 'held'") == default
