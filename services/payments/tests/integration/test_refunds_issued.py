"""Refunds the platform issues at the provider: by an admin, or owed for an unseated purchase."""

import asyncio
import uuid
from datetime import timedelta

from shared.messaging.events import (
    Envelope,
    PackPurchased,
    PackPurchaseRejected,
    PaymentRefunded,
    PaymentSucceeded,
    SessionBooked,
    SessionCanceled,
    SessionCompleted,
)
from shared.testing.events import publish_raw
from shared.testing.helpers import eventually
from shared.testing.plugin import auth_headers

ADMIN = auth_headers("admin-1", "admin")


async def paid_stripe_order(payments) -> dict:
    product = await payments.product(price_amount=40000)
    return await payments.paid_checkout(product["product_id"], provider="stripe")


async def refund(payments, order_id: str, **body):
    return await payments.client.post(f"/v1/orders/{order_id}/refunds", json=body, headers=ADMIN)


async def test_an_admin_refunds_part_then_the_rest_at_stripe(payments, fake_stripe):
    order = await paid_stripe_order(payments)

    part = await refund(payments, order["order_id"], amount=10000, reason="one session missed")
    rest = await refund(payments, order["order_id"])

    assert part.status_code == rest.status_code == 201, (part.text, rest.text)
    sent = fake_stripe.of_path("/v1/refunds")
    assert [r.form["amount"] for r in sent] == ["10000", "30000"]
    payment_intent = f"pi_{uuid.UUID(order['order_id']).hex}"
    assert {r.form["payment_intent"] for r in sent} == {payment_intent}
    refunds = rest.json()
    assert [r["status"] for r in refunds] == ["succeeded", "succeeded"]
    assert [r.headers["idempotency-key"] for r in sent] == [
        f"refund-{r['refund_id']}" for r in refunds
    ]
    final = await payments.order(order["order_id"])
    assert (final["status"], final["refunded_amount"]) == ("refunded", 40000)
    announced = await payments.recorded(PaymentRefunded)
    assert [(r.amount, r.full) for r in announced] == [(10000, False), (30000, True)]


async def test_concurrent_refunds_never_exceed_what_was_paid(payments, fake_stripe):
    order = await paid_stripe_order(payments)

    answers = await asyncio.gather(
        *(refund(payments, order["order_id"], amount=15000) for _ in range(10))
    )

    assert sorted(a.status_code for a in answers) == [201, 201] + [409] * 8
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"REFUND_EXCEEDS_PAID"}
    assert len(fake_stripe.of_path("/v1/refunds")) == 2
    final = await payments.order(order["order_id"])
    assert (final["status"], final["refunded_amount"]) == ("partially_refunded", 30000)


async def test_a_refund_the_provider_refuses_is_not_counted(payments, fake_stripe):
    order = await paid_stripe_order(payments)
    fake_stripe.fail_with = 402

    response = await refund(payments, order["order_id"])

    assert (response.status_code, response.json()["code"]) == (503, "PROVIDER_FAILED")
    final = await payments.order(order["order_id"])
    assert (final["status"], final["refunded_amount"]) == ("paid", 0)
    assert await payments.recorded(PaymentRefunded) == []


async def test_only_paid_orders_of_admins_choice_are_refunded(payments):
    product = await payments.product()
    pending = (await payments.checkout(product["product_id"])).json()

    unpaid = await refund(payments, pending["order_id"])
    missing = await refund(payments, str(uuid.uuid4()))
    student = await payments.client.post(
        f"/v1/orders/{pending['order_id']}/refunds", json={}, headers=auth_headers("s", "student")
    )
    negative = await refund(payments, pending["order_id"], amount=-5)

    assert (unpaid.status_code, unpaid.json()["code"]) == (409, "ORDER_NOT_REFUNDABLE")
    assert (missing.status_code, missing.json()["code"]) == (404, "ORDER_NOT_FOUND")
    assert student.status_code == 403
    assert (negative.status_code, negative.json()["code"]) == (422, "VALIDATION_FAILED")


async def test_a_purchase_packs_rejected_is_refunded_in_full_once(
    payments, fake_stripe, nats_url, namespace
):
    order = await paid_stripe_order(payments)
    rejected = PackPurchaseRejected(
        order_id=uuid.UUID(order["order_id"]),
        student_id="student-1",
        mentor_id="mentor-1",
        reason="mentor is full",
    )
    envelope = Envelope.wrap(rejected, producer="packs")
    for n in range(3):  # the same event past the stream's dedupe window, then another one
        await publish_raw(nats_url, namespace, envelope, msg_id=f"{envelope.id}-{n}")
    await publish_raw(nats_url, namespace, Envelope.wrap(rejected, producer="packs"))
    await eventually(
        lambda: payments.count(
            "SELECT count(*) FROM refund_requests WHERE order_id = :o", o=order["order_id"]
        )
    )
    await asyncio.sleep(0.5)

    for _ in range(2):
        await payments.runtime.jobs.run_now("issue-required-refunds")

    assert [r.form["amount"] for r in fake_stripe.of_path("/v1/refunds")] == ["40000"]
    final = await payments.order(order["order_id"])
    assert (final["status"], final["refunded_amount"]) == ("refunded", 40000)
    [announced] = await payments.recorded(PaymentRefunded)
    assert announced.full is True
    status = await payments.count("SELECT status FROM refund_requests")
    assert status == "refunded"


async def test_a_pro_rata_refund_gives_back_the_share_of_unused_sessions(
    payments, fake_stripe, nats_url, namespace
):
    order = await paid_stripe_order(payments)  # 4 sessions for 40000
    order_id, pack_id = uuid.UUID(order["order_id"]), uuid.uuid4()
    people = {"student_id": "student-1", "mentor_id": "mentor-1"}
    sessions = [uuid.uuid4() for _ in range(3)]
    now = payments.clock.now()
    events = [
        # Outcomes may arrive before the booking that names the pack.
        SessionCompleted(session_id=sessions[0], completed_at=now, **people),
        PackPurchased(
            pack_id=pack_id,
            order_id=order_id,
            seat_id=uuid.uuid4(),
            sessions_total=4,
            session_minutes=60,
            expires_at=now + timedelta(days=30),
            renewal=False,
            **people,
        ),
        *(booked(s, pack_id, now, people) for s in sessions),
        SessionCanceled(
            session_id=sessions[1], starts_at=now, canceled_by="student", late=True, **people
        ),
        SessionCanceled(
            session_id=sessions[2], starts_at=now, canceled_by="mentor", late=True, **people
        ),
    ]
    for event in events:
        await publish_raw(nats_url, namespace, Envelope.wrap(event, producer="test"))

    async def two_used():
        row = await payments.count(
            "SELECT count(*) FROM session_credits WHERE pack_id = :p AND consumed", p=pack_id
        )
        booked_all = await payments.count(
            "SELECT count(*) FROM session_credits WHERE pack_id = :p", p=pack_id
        )
        return row == 2 and booked_all == 3

    await eventually(two_used)
    response = await refund(payments, order["order_id"], pro_rata=True)

    assert response.status_code == 201, response.text
    assert [r.form["amount"] for r in fake_stripe.of_path("/v1/refunds")] == ["20000"]
    [announced] = await payments.recorded(PaymentRefunded)
    assert (announced.amount, announced.full) == (20000, False)
    both = await refund(payments, order["order_id"], pro_rata=True, amount=5)
    assert both.status_code == 422


async def test_a_pro_rata_refund_before_packs_announced_the_pack_is_refused(payments):
    order = await paid_stripe_order(payments)

    response = await refund(payments, order["order_id"], pro_rata=True)

    assert (response.status_code, response.json()["code"]) == (409, "PACK_USAGE_UNKNOWN")


def booked(session_id, pack_id, now, people) -> SessionBooked:
    return SessionBooked(
        session_id=session_id,
        pack_id=pack_id,
        starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=1, hours=1),
        join_url="https://video.test/join",
        mentor_timezone="Europe/Paris",
        **people,
    )


async def test_a_payment_after_the_checkout_expired_is_refunded_not_fulfilled(
    payments, fake_stripe, clock
):
    product = await payments.product(price_amount=40000)
    order = (await payments.checkout(product["product_id"], provider="stripe")).json()
    clock.advance(timedelta(minutes=31))
    await payments.runtime.jobs.run_now("expire-pending-orders")

    await payments.stripe("checkout.session.completed", payments.session_object(order))
    await payments.settled()
    await payments.runtime.jobs.run_now("issue-required-refunds")

    final = await payments.order(order["order_id"])
    assert (final["status"], final["refunded_amount"]) == ("expired", 40000)
    assert await payments.recorded(PaymentSucceeded) == []
    assert [r.form["amount"] for r in fake_stripe.of_path("/v1/refunds")] == ["40000"]
    [announced] = await payments.recorded(PaymentRefunded)
    assert announced.full is True
