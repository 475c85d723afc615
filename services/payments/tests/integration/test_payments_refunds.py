"""A paid order packs could not seat becomes a refund the platform owes, exactly once."""

import asyncio
import uuid

from shared.messaging.events import Envelope, PackPurchaseRejected
from shared.testing.events import publish_raw
from shared.testing.helpers import eventually
from shared.testing.plugin import auth_headers

ADMIN = auth_headers("admin-1", "admin")


async def refund_requests(payments) -> list[dict]:
    response = await payments.client.get("/v1/refund-requests", headers=ADMIN)
    assert response.status_code == 200
    return response.json()


async def test_a_rejected_purchase_is_recorded_as_refund_required_once(
    payments, nats_url, namespace
):
    order_id = uuid.uuid4()
    rejected = PackPurchaseRejected(
        order_id=order_id, student_id="student-1", mentor_id="mentor-1", reason="mentor is full"
    )
    envelope = Envelope.wrap(rejected, producer="packs")
    # The same event three times past the stream's dedupe, and a second event for the order.
    for n in range(3):
        await publish_raw(nats_url, namespace, envelope, msg_id=f"{envelope.id}-{n}")
    await publish_raw(nats_url, namespace, Envelope.wrap(rejected, producer="packs"))

    requests = await eventually(lambda: refund_requests(payments))
    await asyncio.sleep(1.0)
    requests = await refund_requests(payments)

    assert len(requests) == 1
    assert requests[0]["order_id"] == str(order_id)
    assert requests[0]["status"] == "refund_required"
    assert requests[0]["reason"] == "mentor is full"


async def test_only_admins_see_refund_requests(payments):
    student = await payments.client.get(
        "/v1/refund-requests", headers=auth_headers("s1", "student")
    )
    anonymous = await payments.client.get("/v1/refund-requests")

    assert student.status_code == 403
    assert anonymous.status_code == 401
