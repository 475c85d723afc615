"""Pack expiry blocks new bookings; booked sessions still happen and keep the seat."""

from datetime import timedelta

import pytest

from packs.entrypoints.jobs import EXPIRE_PACKS
from shared.errors import DomainError
from shared.messaging.events import PackExpired, SeatReleased


async def test_an_expired_pack_keeps_its_seat_until_the_booked_session_is_completed(packs_app):
    clock = packs_app.clock
    pack_id = await packs_app.buy("s1", "m1", sessions=4, days=30)
    booked = await packs_app.reserve("s1", "m1", starts_in=timedelta(days=29, hours=23))
    clock.advance(timedelta(days=30))
    assert await packs_app.run_job(EXPIRE_PACKS) == 1
    assert (await packs_app.pack(pack_id)).status == "expired"
    [expired] = await packs_app.recorded(PackExpired)
    assert expired.unused_credits == 3
    assert (await packs_app.seat("s1", "m1")).status == "active"
    with pytest.raises(DomainError) as refused:
        await packs_app.reserve("s1", "m1")
    assert refused.value.code == "PACK_EXPIRED"

    clock.advance(timedelta(hours=2))
    await packs_app.consume(booked.session_id)
    seat = await packs_app.seat("s1", "m1")
    assert (seat.status, seat.release_reason) == ("released", "pack_expired")
    assert [e.reason for e in await packs_app.recorded(SeatReleased)] == ["pack_expired"]


async def test_an_expired_pack_keeps_its_seat_until_the_booked_session_is_canceled(packs_app):
    await packs_app.buy("s1", "m1", days=30)
    booked = await packs_app.reserve("s1", "m1", starts_in=timedelta(days=29))
    packs_app.clock.advance(timedelta(days=30))
    await packs_app.run_job(EXPIRE_PACKS)
    assert (await packs_app.seat("s1", "m1")).status == "active"
    await packs_app.release(booked.session_id)
    assert (await packs_app.seat("s1", "m1")).status == "released"


async def test_an_expired_pack_with_nothing_booked_frees_the_seat_at_once(packs_app):
    await packs_app.buy("s1", "m1", days=30)
    packs_app.clock.advance(timedelta(days=30))
    assert await packs_app.run_job(EXPIRE_PACKS) == 1
    assert (await packs_app.seat("s1", "m1")).status == "released"
    assert await packs_app.run_job(EXPIRE_PACKS) == 0


async def test_an_expired_pack_leaves_the_seat_to_a_stacked_live_pack(packs_app):
    await packs_app.buy("s1", "m1", days=30)
    packs_app.clock.advance(timedelta(days=10))
    later = await packs_app.buy("s1", "m1", days=30)
    packs_app.clock.advance(timedelta(days=20))
    assert await packs_app.run_job(EXPIRE_PACKS) == 1
    assert (await packs_app.seat("s1", "m1")).status == "active"
    assert (await packs_app.reserve("s1", "m1")).pack_id == later


async def test_a_pack_is_not_expired_a_second_before_its_end(packs_app):
    pack_id = await packs_app.buy("s1", "m1", days=30)
    packs_app.clock.advance(timedelta(days=30) - timedelta(seconds=1))
    assert await packs_app.run_job(EXPIRE_PACKS) == 0
    assert (await packs_app.pack(pack_id)).status == "active"
