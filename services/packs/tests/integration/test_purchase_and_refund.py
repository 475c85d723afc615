"""Paid orders become packs on a seat; a full refund revokes the pack and frees the seat."""

import asyncio
import uuid
from datetime import timedelta

from packs.entrypoints.jobs import EXPIRE_HOLDS
from packs.service_layer.change_capacity import ChangeCapacity, change_capacity
from packs.service_layer.revoke_pack import revoke_pack
from shared.messaging.events import (
    MentorCapacityChanged,
    PackPurchased,
    PackPurchaseRejected,
    PackRevoked,
    PaymentRefunded,
    SeatReleased,
)
from shared.testing.helpers import eventually


def refund(app, order_id: uuid.UUID, *, full: bool = True) -> PaymentRefunded:
    return PaymentRefunded(
        order_id=order_id,
        refund_id=uuid.uuid4(),
        student_id="s1",
        mentor_id="m1",
        amount=10_000,
        currency="EUR",
        full=full,
        refunded_at=app.clock.now(),
    )


async def test_a_paid_checkout_turns_its_hold_into_an_active_seat_with_a_pack(
    event_probe, packs_app
):
    held = await packs_app.hold("s1", "m1")
    purchase = packs_app.purchase("s1", "m1", sessions=4, days=45, order_id=held.order_id)
    await packs_app.publish(purchase, producer="payments")
    [envelope] = await event_probe.wait_for(PackPurchased)
    bought = envelope.payload()
    assert (bought.seat_id, bought.renewal, bought.sessions_total) == (held.seat_id, False, 4)
    assert bought.expires_at == purchase.paid_at + timedelta(days=45)
    seat = await packs_app.seat("s1", "m1")
    assert (seat.id, seat.status, seat.held_until) == (held.seat_id, "active", None)
    assert await packs_app.count("SELECT count(*) FROM seat_holds WHERE status = 'paid'") == 1


async def test_the_same_order_paid_twice_makes_one_pack(packs_app):
    purchase = packs_app.purchase("s1", "m1")
    await asyncio.gather(*(packs_app.publish(purchase, producer="payments") for _ in range(5)))

    async def one_pack() -> bool:
        handled = await packs_app.count(
            "SELECT count(*) FROM inbox WHERE consumer = 'packs-payment-succeeded'"
        )
        return handled == 5

    await eventually(one_pack)
    assert await packs_app.count("SELECT count(*) FROM packs") == 1
    assert len(await packs_app.recorded(PackPurchased)) == 1


async def test_thirty_concurrent_purchases_without_holds_for_three_open_seats_seat_exactly_three(
    packs_app,
):
    """No over-allocation, and each announcement's live count (the one counted before the seat
    was added, plus one: no recount) is what the table holds after that purchase."""
    await packs_app.run(change_capacity, ChangeCapacity("m1", 3))
    results = await asyncio.gather(*(packs_app.buy(f"s{n}", "m1") for n in range(30)))
    assert len([r for r in results if r is not None]) == 3
    assert len(await packs_app.recorded(PackPurchaseRejected)) == 27
    live = "SELECT count(*) FROM seats WHERE mentor_id = 'm1' AND status = 'active'"
    assert await packs_app.count(live) == 3
    assert await packs_app.count("SELECT count(*) FROM packs") == 3
    # Outbox order need not be commit order: the figures are compared as a set of counts.
    announced = await packs_app.recorded(MentorCapacityChanged)
    assert sorted((e.capacity, e.live_seats, e.open_seats) for e in announced) == [
        (3, 0, 3),  # the capacity change
        (3, 1, 2),
        (3, 2, 1),
        (3, 3, 0),
    ]


async def test_a_purchase_whose_hold_ended_while_the_mentor_filled_up_is_rejected(packs_app):
    await packs_app.run(change_capacity, ChangeCapacity("m1", 1))
    held = await packs_app.hold("s1", "m1")
    packs_app.clock.advance(timedelta(minutes=31))
    await packs_app.run_job(EXPIRE_HOLDS)
    await packs_app.buy("s2", "m1")  # takes the freed seat
    assert await packs_app.buy("s1", "m1", order_id=held.order_id) is None
    [rejected] = await packs_app.recorded(PackPurchaseRejected)
    assert (rejected.order_id, rejected.student_id) == (held.order_id, "s1")
    assert await packs_app.count("SELECT count(*) FROM packs WHERE student_id = 's1'") == 0


async def test_a_purchase_whose_hold_ended_still_gets_a_seat_when_one_is_free(packs_app):
    held = await packs_app.hold("s1", "m1")
    packs_app.clock.advance(timedelta(hours=1))
    await packs_app.run_job(EXPIRE_HOLDS)
    assert await packs_app.buy("s1", "m1", order_id=held.order_id) is not None
    assert (await packs_app.seat("s1", "m1")).status == "active"
    assert await packs_app.recorded(PackPurchaseRejected) == []


async def test_a_full_refund_voids_booked_credits_revokes_the_pack_and_frees_the_seat(
    packs_app,
):
    order = uuid.uuid4()
    pack_id = await packs_app.buy("s1", "m1", order_id=order)
    await packs_app.book_and_complete("s1", "m1")
    await packs_app.reserve("s1", "m1")
    assert await packs_app.run(revoke_pack, refund(packs_app, order))
    pack = await packs_app.pack(pack_id)
    assert (pack.status, pack.sessions_used, pack.sessions_reserved) == ("refunded", 1, 0)
    assert await packs_app.count("SELECT count(*) FROM credits WHERE status = 'void'") == 1
    [revoked] = await packs_app.recorded(PackRevoked)
    assert (revoked.pack_id, revoked.order_id) == (pack_id, order)
    assert [e.reason for e in await packs_app.recorded(SeatReleased)] == ["refunded"]
    assert (await packs_app.seat("s1", "m1")).status == "released"
    assert not await packs_app.run(revoke_pack, refund(packs_app, order))  # once only


async def test_a_refund_keeps_the_seat_when_another_live_pack_holds_it(packs_app):
    first = uuid.uuid4()
    await packs_app.buy("s1", "m1", order_id=first)
    await packs_app.buy("s1", "m1")
    await packs_app.run(revoke_pack, refund(packs_app, first))
    assert (await packs_app.seat("s1", "m1")).status == "active"
    assert await packs_app.recorded(SeatReleased) == []


async def test_a_partial_refund_changes_nothing(packs_app):
    order = uuid.uuid4()
    pack_id = await packs_app.buy("s1", "m1", order_id=order)
    assert not await packs_app.run(revoke_pack, refund(packs_app, order, full=False))
    assert (await packs_app.pack(pack_id)).status == "active"


async def test_a_refund_event_over_nats_revokes_the_pack(event_probe, packs_app):
    order = uuid.uuid4()
    await packs_app.buy("s1", "m1", order_id=order)
    await packs_app.publish(refund(packs_app, order), producer="payments")
    [revoked] = await event_probe.wait_for(PackRevoked)
    assert revoked.payload().order_id == order
