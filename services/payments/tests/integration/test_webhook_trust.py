"""A signed provider event is still checked against its order: the amount and currency it
reports must be the order's, and an event whose shape is wrong ends once, as a dead letter."""

import pytest

from shared.messaging.events import PaymentSucceeded
from shared.testing.plugin import auth_headers

ADMIN = auth_headers("admin-1", "admin")


async def pending_order(payments, **product) -> dict:
    created = await payments.product(**{"price_amount": 12000, **product})
    response = await payments.checkout(created["product_id"])
    assert response.status_code == 201, response.text
    return response.json()


@pytest.mark.parametrize(
    ("kind", "reported"),
    [
        ("checkout.session.completed", {"amount_total": 1}),
        ("checkout.session.completed", {"currency": "eur"}),
        ("checkout.session.completed", {"amount_total": 12001, "currency": "jpy"}),
        ("checkout.session.async_payment_succeeded", {"amount_total": 11999}),
        ("checkout.session.completed", {"amount_total": None}),
    ],
)
async def test_a_paid_event_that_disagrees_with_its_order_never_fulfils_and_is_flagged(
    payments, kind, reported
):
    order = await pending_order(payments)
    obj = {**payments.session_object(order), **reported}
    metrics_before = await mismatch_count(payments)

    response = await payments.stripe(kind, obj, event_id="evt_mismatch_1")
    await payments.settled()

    assert response.status_code == 200
    assert (await payments.order(order["order_id"]))["status"] == "pending"
    assert await payments.recorded(PaymentSucceeded) == []
    listed = await payments.client.get("/v1/payment-mismatches", headers=ADMIN)
    assert listed.status_code == 200, listed.text
    [mismatch] = listed.json()
    assert mismatch["order_id"] == order["order_id"]
    assert (mismatch["expected_amount"], mismatch["expected_currency"]) == (12000, "USD")
    assert mismatch["reported_amount"] == obj["amount_total"]
    assert mismatch["reported_currency"] == obj["currency"].upper()
    assert (mismatch["provider"], mismatch["event_id"]) == ("stripe", "evt_mismatch_1")
    outcome = await payments.count("SELECT outcome FROM webhook_events")
    assert outcome.startswith("amount mismatch")
    assert await mismatch_count(payments) == metrics_before + 1


async def test_a_paid_event_that_agrees_with_its_order_fulfils_it(payments):
    order = await pending_order(payments, currency="eur")

    await payments.stripe("checkout.session.completed", payments.session_object(order))

    await payments.wait_status(order["order_id"], "paid")
    listed = await payments.client.get("/v1/payment-mismatches", headers=ADMIN)
    assert listed.json() == []


async def test_only_an_admin_reads_the_mismatches(payments):
    student_token = auth_headers("s1", "student")
    student = await payments.client.get("/v1/payment-mismatches", headers=student_token)
    assert student.status_code == 403
    assert (await payments.client.get("/v1/payment-mismatches")).status_code == 401


async def mismatch_count(payments) -> float:
    text = (await payments.client.get("/metrics")).text
    for line in text.splitlines():
        if line.startswith('mentorship_payments_amount_mismatches_total{provider="stripe"}'):
            return float(line.split()[-1])
    return 0.0


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"object": "a string"}, "data.object is not an object"),
        ({"object": [1, 2]}, "data.object is not an object"),
        ("not an object", "data is not an object"),
        (
            {"object": {"metadata": {"order_id": "x"}, "payment_intent": "pi_\u0000"}},
            "payment_intent",
        ),
    ],
)
async def test_a_signed_event_of_the_wrong_shape_ends_once_as_a_dead_letter(payments, data, reason):
    event = payments.stripe_event("checkout.session.completed", {})
    event["data"] = data
    if isinstance(data, dict) and isinstance(data["object"], dict):
        order = await pending_order(payments)
        data["object"]["metadata"]["order_id"] = order["order_id"]
    body, header = payments.signed(event)

    response = await payments.post_stripe(body, header)
    await payments.settled()
    for _ in range(3):  # later sweeps do not pick it up again
        await payments.runtime.jobs.run_now("process-webhook-events")

    assert response.status_code == 200
    row = await payments.count(
        "SELECT dead_reason FROM webhook_events WHERE processed_at IS NOT NULL"
    )
    assert reason in row
    dead = await payments.client.get("/v1/webhook-events/dead", headers=ADMIN)
    assert dead.status_code == 200, dead.text
    [listed] = dead.json()
    assert listed["event_id"] == event["id"] and reason in listed["dead_reason"]
    assert await payments.recorded(PaymentSucceeded) == []


async def test_an_event_that_always_fails_is_dead_lettered_after_its_attempts(
    start_payments, monkeypatch
):
    # No in-process worker: each sweep below is one attempt (a worker holding the event
    # would make a sweep skip it, SKIP LOCKED, and the count race the loop).
    payments = await start_payments(webhook_workers=0)
    from payments.entrypoints.webhook_worker import MAX_ATTEMPTS
    from payments.service_layer import webhooks

    async def broken(*args, **kwargs):
        raise RuntimeError("cannot apply")

    monkeypatch.setattr(webhooks, "apply_report", broken)
    order = await pending_order(payments)
    await payments.stripe(
        "checkout.session.completed", payments.session_object(order), event_id="evt_broken_1"
    )

    for _ in range(MAX_ATTEMPTS + 2):
        await payments.runtime.jobs.run_now("process-webhook-events")

    row = await payments.count(
        "SELECT attempts || ' ' || dead_reason FROM webhook_events WHERE processed_at IS NOT NULL"
    )
    assert row.startswith(f"{MAX_ATTEMPTS} failed {MAX_ATTEMPTS} times: RuntimeError")
    [dead] = (await payments.client.get("/v1/webhook-events/dead", headers=ADMIN)).json()
    assert dead["event_id"] == "evt_broken_1"
