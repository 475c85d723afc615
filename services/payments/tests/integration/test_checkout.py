"""Checkout: a seat hold at packs, a pending order, the provider's page; the same key, once."""

import asyncio
import uuid

from shared.messaging.events import PaymentFailed
from shared.testing.plugin import auth_headers

STUDENT = auth_headers("student-1", "student")
MENTOR = auth_headers("mentor-1", "mentor")


async def test_a_sandbox_checkout_holds_a_seat_and_answers_the_order_and_its_page(
    payments, packs_stand_in
):
    product = await payments.product()

    response = await payments.checkout(product["product_id"])

    assert response.status_code == 201, response.text
    order = response.json()
    assert order["status"] == "pending"
    assert (order["original_amount"], order["discount_amount"], order["final_amount"]) == (
        40000,
        0,
        40000,
    )
    page = f"http://payments.test/v1/sandbox/checkout/{order['order_id']}?token="
    assert order["redirect_url"].startswith(page)  # the signed link of the student's page
    [hold] = packs_stand_in.requests
    assert str(hold.order_id) == order["order_id"]
    assert (hold.student_id, hold.mentor_id) == ("student-1", "mentor-1")
    assert hold.hold_until is not None


async def test_the_same_key_and_body_answer_the_same_order_even_concurrently(
    payments, packs_stand_in
):
    product = await payments.product()

    answers = await asyncio.gather(
        *(payments.checkout(product["product_id"], key="key-1") for _ in range(5))
    )

    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["order_id"] for a in answers}) == 1
    assert len({a.json()["redirect_url"] for a in answers}) == 1
    assert await payments.count("SELECT count(*) FROM orders") == 1


async def test_the_same_key_with_another_body_is_a_422_problem(payments):
    product = await payments.product()
    other = await payments.product(title="Other")
    await payments.checkout(product["product_id"], key="key-1")

    response = await payments.checkout(other["product_id"], key="key-1")

    assert response.status_code == 422
    assert response.json()["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert await payments.count("SELECT count(*) FROM orders") == 1


async def test_a_refused_hold_is_a_409_with_the_packs_code_and_nothing_is_stored(
    payments, packs_stand_in, fake_stripe
):
    product = await payments.product()
    before = await payments.snapshot()
    packs_stand_in.refusal = "NO_SEAT_AVAILABLE"

    response = await payments.checkout(product["product_id"], provider="stripe")

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "NO_SEAT_AVAILABLE"
    assert fake_stripe.requests == []
    assert await payments.snapshot() == before


async def test_silent_packs_is_a_503_and_the_provider_is_never_called(
    start_payments, packs_stand_in, fake_stripe
):
    payments = await start_payments(request_timeout_seconds=0.3)
    product = await payments.product()
    before = await payments.snapshot()
    packs_stand_in.silent = True

    response = await payments.checkout(product["product_id"], provider="stripe")

    assert response.status_code == 503
    assert response.json()["code"] in ("UPSTREAM_TIMEOUT", "UPSTREAM_UNAVAILABLE")
    assert fake_stripe.requests == []
    assert await payments.snapshot() == before


async def test_a_provider_that_fails_fails_the_order_and_frees_the_hold(
    payments, fake_stripe, event_probe
):
    product = await payments.product()
    fake_stripe.fail_with = 400  # not retried by stripe-python (a 5xx is, with backoff)

    response = await payments.checkout(product["product_id"], provider="stripe")

    assert response.status_code == 503
    assert response.json()["code"] == "PROVIDER_FAILED"
    [failed] = await payments.recorded(PaymentFailed)
    order = await payments.order(str(failed.order_id))
    assert order["status"] == "failed"


async def test_bad_checkout_input_is_a_problem_with_a_code_and_nothing_is_stored(payments):
    product = await payments.product()
    withdrawn = await payments.product(title="Old", active=False)
    before = await payments.snapshot()

    unknown = await payments.checkout(str(uuid.uuid4()))
    inactive = await payments.checkout(withdrawn["product_id"])
    own = await payments.client.post(
        "/v1/checkout",
        json={"product_id": product["product_id"], "provider": "sandbox"},
        headers={**MENTOR, "Idempotency-Key": "k"},
    )
    bad_provider = await payments.checkout(product["product_id"], provider="bitcoin")
    no_key = await payments.client.post(
        "/v1/checkout",
        json={"product_id": product["product_id"], "provider": "sandbox"},
        headers=STUDENT,
    )
    unknown_code = await payments.checkout(product["product_id"], promo_code="NOPE")

    assert (unknown.status_code, unknown.json()["code"]) == (404, "PRODUCT_NOT_FOUND")
    assert (inactive.status_code, inactive.json()["code"]) == (409, "PRODUCT_INACTIVE")
    assert (own.status_code, own.json()["code"]) == (403, "OWN_PRODUCT")
    assert (bad_provider.status_code, bad_provider.json()["code"]) == (422, "VALIDATION_FAILED")
    assert (no_key.status_code, no_key.json()["code"]) == (422, "VALIDATION_FAILED")
    assert (unknown_code.status_code, unknown_code.json()["code"]) == (422, "PROMO_NOT_FOUND")
    assert await payments.snapshot() == before


async def test_a_provider_not_configured_here_is_a_409_not_retryable(payments):
    product = await payments.product()

    response = await payments.checkout(product["product_id"], provider="paypal")

    assert response.status_code == 409, response.text
    assert response.json()["code"] == "PROVIDER_NOT_CONFIGURED"
    assert "retry-after" not in response.headers
