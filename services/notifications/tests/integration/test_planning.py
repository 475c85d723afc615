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


async def test_a_student_who_prefers_two_channels_gets_a_delivery_on_each(notifications):
    await notifications.contact(
        "student-2", discord_id="123456789012345678", channels=["email", "discord"]
    )
    envelope = await notifications.publish(purchased("student-2", renewal=True))

    found = await eventually(
        lambda: _at_least(notifications, 2, recipient="student-2", event_id=envelope.id)
    )

    assert {(d.channel, d.address) for d in found} == {
        ("email", "student-2@example.com"),
        ("discord", "123456789012345678"),
    }
    # No bot token in this service: a DM cannot be sent, and is not retried.
    assert {(d.channel, d.status) for d in found} >= {("discord", "skipped")}
    [discord] = [d for d in found if d.channel == "discord"]
    assert discord.skip_reason == "not configured"


async def test_reminders_go_where_the_contact_routes_that_kind(notifications, mail):
    from shared.messaging.events import SessionReminderDue

    await notifications.contact(
        "s-routes",
        discord_id="123456789012345678",
        channels=["email"],
        kind_channels={"reminder": ["discord"], "marketing": []},
    )
    event = SessionReminderDue(
        session_id=uuid.uuid4(),
        mentor_id="m-routes",
        student_id="s-routes",
        starts_at=datetime.now(UTC) + timedelta(days=1),
        offset_minutes=1440,
    )
    await notifications.publish(event)

    rows = await eventually(lambda: notifications.deliveries(recipient="s-routes"))

    assert [(r.channel, r.kind) for r in rows] == [("discord", "reminder")]


async def test_only_admins_read_the_delivery_log(notifications):
    student = await notifications.client.get("/v1/deliveries", headers=auth_headers("s", "student"))
    anonymous = await notifications.client.get("/v1/deliveries")

    assert student.status_code == 403
    assert student.json()["code"] == "FORBIDDEN"
    assert anonymous.status_code == 401


async def _at_least(notifications, count: int, **where) -> list | None:
    found = await notifications.deliveries(**where)
    return found if len(found) >= count else None
