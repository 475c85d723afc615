"""Webhooks stored together in one statement and processed a batch per unit of work, on real
Postgres: each event once, a duplicate answered as one, a failing event retried alone."""

import asyncio

from payments.domain.outcomes import OrderOutcome
from payments.service_layer import webhooks
from shared.messaging.events import PaymentSucceeded


async def pending_orders(payments, count: int) -> list[dict]:
    product = await payments.product(price_amount=12000)
    orders = []
    for index in range(count):
        response = await payments.checkout(product["product_id"], who=f"student-{index}")
        assert response.status_code == 201, response.text
        orders.append(response.json())
    return orders


async def test_webhooks_arriving_together_are_stored_once_and_each_pays_its_order_once(
    start_payments,
):
    payments = await start_payments(webhook_workers=0)  # stored only; the sweep processes
    orders = await pending_orders(payments, 6)
    events = [
        payments.stripe_event(
            "checkout.session.completed", payments.session_object(o), event_id=f"evt_b{i}"
        )
        for i, o in enumerate(orders)
    ]
    signed = [payments.signed(event) for event in [*events, events[0]]]  # evt_b0 twice

    answers = await asyncio.gather(*(payments.post_stripe(body, h) for body, h in signed))

    assert [answer.status_code for answer in answers] == [200] * 7
    duplicates = [answer.json()["duplicate"] for answer in answers]
    assert sorted(duplicates) == [False] * 6 + [True]
    assert await payments.count("SELECT count(*) FROM webhook_events") == 6
    await payments.settled()
    await payments.runtime.jobs.run_now("process-webhook-events")  # nothing left to apply
    for order in orders:
        assert (await payments.order(order["order_id"]))["status"] == "paid"
    paid = [event.order_id for event in await payments.recorded(PaymentSucceeded)]
    assert sorted(map(str, paid)) == sorted(order["order_id"] for order in orders)


async def test_a_batch_with_an_event_that_fails_applies_the_others_and_counts_only_its_attempt(
    start_payments, monkeypatch
):
    payments = await start_payments(webhook_workers=0)
    orders = await pending_orders(payments, 3)
    apply_report = webhooks.apply_report

    async def failing_for_one(report, *, event_id, **kwargs):
        if event_id == "evt_fails":
            raise RuntimeError("cannot apply")
        return await apply_report(report, event_id=event_id, **kwargs)

    monkeypatch.setattr(webhooks, "apply_report", failing_for_one)
    for order, event_id in zip(orders, ["evt_ok_1", "evt_fails", "evt_ok_2"], strict=True):
        obj = payments.session_object(order)
        answer = await payments.stripe("checkout.session.completed", obj, event_id=event_id)
        assert answer.status_code == 200

    await payments.runtime.jobs.run_now("process-webhook-events")

    statuses = [(await payments.order(o["order_id"]))["status"] for o in orders]
    assert statuses == ["paid", "pending", "paid"]
    left = await payments.count(
        "SELECT event_id || ' ' || attempts FROM webhook_events WHERE processed_at IS NULL"
    )
    assert left == "evt_fails 1"
    assert len(await payments.recorded(PaymentSucceeded)) == 2


async def test_orders_changed_in_one_batch_are_written_as_one_event_at_a_time_writes_them(
    start_payments,
):
    payments = await start_payments(webhook_workers=0)
    paid, ended = await pending_orders(payments, 2)
    for kind, order, event_id in [
        ("checkout.session.completed", paid, "evt_paid"),
        ("checkout.session.expired", ended, "evt_expired"),
        ("checkout.session.completed", ended, "evt_paid_late"),  # after the end: owed back
    ]:
        obj = payments.session_object(order)
        answer = await payments.stripe(kind, obj, event_id=event_id)
        assert answer.status_code == 200

    await payments.settled()

    rows = [await payments.order(order["order_id"]) for order in (paid, ended)]
    assert [(row["status"], row["payment_ref"] is not None) for row in rows] == [
        ("paid", True),
        ("expired", True),
    ]
    assert rows[0]["paid_at"] is not None and rows[0]["ended_at"] is None
    assert rows[1]["paid_at"] is None and rows[1]["ended_at"] is not None
    assert rows[1]["failure_reason"] == "the checkout expired"
    outcomes = await payments.count(
        "SELECT string_agg(event_id || '=' || outcome, ' ' ORDER BY event_id) FROM webhook_events"
    )
    assert outcomes == (
        f"evt_expired={OrderOutcome.expired} evt_paid={OrderOutcome.paid}"
        f" evt_paid_late={OrderOutcome.owed_back}"
    )
    assert await payments.count("SELECT count(*) FROM refund_requests") == 1
