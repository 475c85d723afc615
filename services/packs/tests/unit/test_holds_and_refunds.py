"""A failed checkout gives its held seat back; a full refund revokes the pack: on the fake uow.

Concurrent checkouts of one seat and the capacity lock stay in the integration tests.
"""

import uuid
from datetime import timedelta

from packs.domain.model import HoldStatus, PackStatus, ReleaseReason, SeatStatus
from packs.service_layer.release_hold import release_hold
from packs.service_layer.revoke_pack import revoke_pack
from shared.messaging.events import (
    MentorCapacityChanged,
    PackRevoked,
    PaymentRefunded,
    SeatReleased,
)

from .builders import NOW, a_hold, a_pack, a_seat


def a_refund(order_id: uuid.UUID, *, full: bool = True) -> PaymentRefunded:
    return PaymentRefunded(
        order_id=order_id,
        refund_id=uuid.uuid4(),
        student_id="s1",
        mentor_id="m1",
        amount=10_000,
        currency="EUR",
        full=full,
        refunded_at=NOW,
    )


async def test_a_failed_checkout_frees_its_held_seat_without_announcing_a_release(uow, deps):
    seat = a_seat(uow, SeatStatus.held, held_until=NOW + timedelta(minutes=30))
    hold = a_hold(uow, seat)

    async with uow:
        assert await release_hold(hold.order_id, uow=uow, deps=deps) is True
        await uow.commit()

    assert uow.holds.rows[hold.order_id].status is HoldStatus.released
    assert uow.seats.released == {seat.id: ReleaseReason.hold_ended}
    assert uow.events() == [
        MentorCapacityChanged(mentor_id="m1", capacity=3, live_seats=0, open_seats=3)
    ]


async def test_a_seat_another_open_checkout_still_holds_stays_held(uow, deps):
    seat = a_seat(uow, SeatStatus.held, held_until=NOW + timedelta(minutes=30))
    failed, _other = a_hold(uow, seat), a_hold(uow, seat)

    async with uow:
        assert await release_hold(failed.order_id, uow=uow, deps=deps) is False
        await uow.commit()

    assert uow.holds.rows[failed.order_id].status is HoldStatus.released
    assert (uow.seats.released, uow.events()) == ({}, [])


async def test_a_hold_that_already_ended_changes_nothing_the_second_time(uow, deps):
    seat = a_seat(uow, SeatStatus.held, held_until=NOW + timedelta(minutes=30))
    hold = a_hold(uow, seat)
    async with uow:
        await release_hold(hold.order_id, uow=uow, deps=deps)
        await uow.commit()

    async with uow:
        assert await release_hold(hold.order_id, uow=uow, deps=deps) is False
        assert await release_hold(uuid.uuid4(), uow=uow, deps=deps) is False
        await uow.commit()

    assert len(uow.events()) == 1


async def test_a_full_refund_revokes_the_pack_voids_its_booked_sessions_and_frees_the_seat(
    uow, deps
):
    seat = a_seat(uow, SeatStatus.active)
    order = uuid.uuid4()
    pack = a_pack(uow, seat, expires_in=timedelta(days=20), reserved=2, order_id=order)

    async with uow:
        assert await revoke_pack(a_refund(order), uow=uow, deps=deps) is True
        await uow.commit()

    assert uow.packs.rows[pack.id].status is PackStatus.refunded
    assert uow.events() == [
        PackRevoked(
            pack_id=pack.id,
            order_id=order,
            student_id="s1",
            mentor_id="m1",
            reason="refunded; 2 booked session(s) to cancel",
        ),
        SeatReleased(seat_id=seat.id, student_id="s1", mentor_id="m1", reason="refunded"),
        MentorCapacityChanged(mentor_id="m1", capacity=3, live_seats=0, open_seats=3),
    ]


async def test_a_refunded_pack_leaves_the_seat_to_the_renewal_still_live_on_it(uow, deps):
    seat = a_seat(uow, SeatStatus.active)
    order = uuid.uuid4()
    a_pack(uow, seat, expires_in=timedelta(days=20), order_id=order)
    a_pack(uow, seat, expires_in=timedelta(days=50))

    async with uow:
        assert await revoke_pack(a_refund(order), uow=uow, deps=deps) is True
        await uow.commit()

    assert uow.seats.released == {}
    assert [type(event) for event in uow.events()] == [PackRevoked]


async def test_a_partial_refund_a_second_refund_and_an_unknown_order_change_nothing(uow, deps):
    seat = a_seat(uow, SeatStatus.active)
    order = uuid.uuid4()
    a_pack(uow, seat, expires_in=timedelta(days=20), order_id=order)

    async with uow:
        assert await revoke_pack(a_refund(order, full=False), uow=uow, deps=deps) is False
        assert await revoke_pack(a_refund(order), uow=uow, deps=deps) is True
        assert await revoke_pack(a_refund(order), uow=uow, deps=deps) is False
        assert await revoke_pack(a_refund(uuid.uuid4()), uow=uow, deps=deps) is False
        await uow.commit()

    assert [type(event) for event in uow.events()] == [
        PackRevoked,
        SeatReleased,
        MentorCapacityChanged,
    ]
