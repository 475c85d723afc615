"""Booking learns of the packs students bought, once each, to offer them sessions later."""

import asyncio
import uuid
from datetime import timedelta

from shared.messaging.events import Envelope, PackPurchased
from shared.testing.events import publish_raw
from shared.testing.helpers import eventually
from shared.testing.plugin import auth_headers

STUDENT = auth_headers("student-1", "student")


def purchased(clock, *, pack_id=None, days=30, sessions=4, student="student-1") -> PackPurchased:
    return PackPurchased(
        pack_id=pack_id or uuid.uuid4(),
        order_id=uuid.uuid4(),
        seat_id=uuid.uuid4(),
        student_id=student,
        mentor_id="mentor-1",
        sessions_total=sessions,
        session_minutes=60,
        expires_at=clock.now() + timedelta(days=days),
        renewal=False,
    )


async def my_packs(booking, headers=STUDENT) -> list[dict]:
    response = await booking.client.get("/v1/students/me/packs", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_purchased_pack_is_offered_to_its_student_once_however_often_it_arrives(
    booking, clock, nats_url, namespace
):
    envelope = Envelope.wrap(purchased(clock), producer="packs")
    for n in range(3):
        await publish_raw(nats_url, namespace, envelope, msg_id=f"{envelope.id}-{n}")

    packs = await eventually(lambda: my_packs(booking))
    await asyncio.sleep(0.7)
    packs = await my_packs(booking)

    assert len(packs) == 1
    assert packs[0]["mentor_id"] == "mentor-1"
    assert packs[0]["sessions_total"] == 4
    assert await my_packs(booking, auth_headers("student-2", "student")) == []


async def test_a_stacked_renewal_extends_the_pack_and_a_stale_event_never_shortens_it(
    booking, clock, nats_url, namespace
):
    pack_id = uuid.uuid4()
    renewed = purchased(clock, pack_id=pack_id, days=60, sessions=8)
    first = purchased(clock, pack_id=pack_id, days=30, sessions=4)
    # The renewal arrives before the first purchase.
    await publish_raw(nats_url, namespace, Envelope.wrap(renewed, producer="packs"))
    await eventually(lambda: my_packs(booking))
    await publish_raw(nats_url, namespace, Envelope.wrap(first, producer="packs"))
    await asyncio.sleep(1.0)

    [pack] = await my_packs(booking)
    assert pack["sessions_total"] == 8
    assert pack["expires_at"].startswith((clock.now() + timedelta(days=60)).date().isoformat())


async def test_an_expired_pack_is_no_longer_offered(booking, clock, nats_url, namespace):
    await publish_raw(
        nats_url, namespace, Envelope.wrap(purchased(clock, days=1), producer="packs")
    )
    await eventually(lambda: my_packs(booking))

    clock.advance(timedelta(days=2))

    assert await my_packs(booking) == []


async def test_only_students_list_their_packs(booking):
    anonymous = await booking.client.get("/v1/students/me/packs")
    mentor = await booking.client.get("/v1/students/me/packs", headers=auth_headers("m", "mentor"))

    assert anonymous.status_code == 401
    assert mentor.status_code == 403
