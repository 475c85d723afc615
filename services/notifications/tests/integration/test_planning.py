"""Events become one delivery per (event, channel, recipient), rendered for each reader."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from shared.messaging.events import Envelope, PackPurchased
from shared.testing.helpers import eventually
from shared.testing.plugin import auth_headers

ADMIN = auth_headers("admin-1", "admin")


def purchased(student: str, *, renewal: bool = False) -> PackPurchased:
    return PackPurchased(
        pack_id=uuid.uuid4(),
        order_id=uuid.uuid4(),
        seat_id=uuid.uuid4(),
        student_id=student,
        mentor_id="mentor-1",
        sessions_total=4,
        session_minutes=60,
        expires_at=datetime.now(UTC) + timedelta(days=30),
        renewal=renewal,
    )


async def test_a_recipient_without_a_contact_is_skipped_with_the_reason_once_however_often(
    notifications,
):
    envelope = Envelope.wrap(purchased("student-1", renewal=True), producer="packs")
    for n in range(3):
        await notifications.publish(envelope.payload(), envelope=envelope, msg_id=f"{n}")

    await eventually(lambda: notifications.deliveries(recipient="student-1"))
    await asyncio.sleep(0.7)
    [delivery] = await notifications.deliveries(recipient="student-1")

    assert delivery.event_id == envelope.id
    assert (delivery.channel, delivery.status, delivery.skip_reason) == (
        "email",
        "skipped",
        "no contact",
    )
    assert delivery.template == "pack_purchased"
    assert delivery.attempts == 0


async def test_only_admins_read_the_delivery_log(notifications):
    student = await notifications.client.get("/v1/deliveries", headers=auth_headers("s", "student"))
    anonymous = await notifications.client.get("/v1/deliveries")

    assert student.status_code == 403
    assert student.json()["code"] == "FORBIDDEN"
    assert anonymous.status_code == 401
