"""A purchased pack queues one delivery per channel the student prefers, once per event."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from shared.messaging.events import Envelope, PackPurchased
from shared.testing.events import publish_raw
from shared.testing.helpers import eventually
from shared.testing.plugin import auth_headers

ADMIN = auth_headers("admin-1", "admin")


def purchased(student: str) -> Envelope:
    event = PackPurchased(
        pack_id=uuid.uuid4(),
        order_id=uuid.uuid4(),
        seat_id=uuid.uuid4(),
        student_id=student,
        mentor_id="mentor-1",
        sessions_total=4,
        session_minutes=60,
        expires_at=datetime.now(UTC) + timedelta(days=30),
        renewal=False,
    )
    return Envelope.wrap(event, producer="packs")


async def deliveries(notifications, **params) -> list[dict]:
    response = await notifications.client.get("/v1/deliveries", params=params, headers=ADMIN)
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_student_without_preferences_gets_one_pending_email_however_often_it_arrives(
    notifications, nats_url, namespace
):
    envelope = purchased("student-1")
    for n in range(3):
        await publish_raw(nats_url, namespace, envelope, msg_id=f"{envelope.id}-{n}")

    await eventually(lambda: deliveries(notifications))
    await asyncio.sleep(0.7)
    [delivery] = await deliveries(notifications)

    assert delivery["event_id"] == str(envelope.id)
    assert (delivery["channel"], delivery["recipient"], delivery["status"]) == (
        "email",
        "student-1",
        "pending",
    )
    assert delivery["template"] == "pack_purchased"
    assert delivery["address"] is None


async def test_a_student_who_prefers_two_channels_gets_a_delivery_on_each(
    notifications, nats_url, namespace
):
    await notifications.client.put(
        "/v1/contacts/me",
        json={
            "email": "ada@example.com",
            "discord_id": "123456789012345678",
            "channels": ["email", "discord"],
        },
        headers=auth_headers("student-2", "student"),
    )
    envelope = purchased("student-2")
    await publish_raw(nats_url, namespace, envelope)

    found = await eventually(
        lambda: _at_least(notifications, 2, recipient="student-2", event_id=str(envelope.id))
    )

    assert {(d["channel"], d["address"]) for d in found} == {
        ("email", "ada@example.com"),
        ("discord", "123456789012345678"),
    }
    assert {d["status"] for d in found} == {"pending"}


async def test_only_admins_read_the_delivery_log(notifications):
    student = await notifications.client.get("/v1/deliveries", headers=auth_headers("s", "student"))
    anonymous = await notifications.client.get("/v1/deliveries")

    assert student.status_code == 403
    assert student.json()["code"] == "FORBIDDEN"
    assert anonymous.status_code == 401


async def _at_least(notifications, count: int, **params) -> list[dict] | None:
    found = await deliveries(notifications, **params)
    return found if len(found) >= count else None
