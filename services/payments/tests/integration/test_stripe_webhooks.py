"""Stripe webhooks: only Stripe's signature is believed; each event counts once, in any order."""

import asyncio
import time
import uuid

import pytest

from shared.messaging.events import PaymentFailed, PaymentRefunded, PaymentSucceeded


async def pending_order(payments) -> dict:
    product = await payments.product()
    response = await payments.checkout(product["product_id"])
    assert response.status_code == 201, response.text
    return response.json()


def forged_variants(payments, body: bytes) -> dict[str, tuple[bytes, str | None]]:
    _, good_header = payments.signed_body(body)
    timestamp = good_header.split(",")[0]
    return {
        "no signature": (body, None),
        "garbage header": (body, "nonsense"),
        "forged signature": (body, f"{timestamp},v1={'0' * 64}"),
        "stale": payments.signed_body(body, at=int(time.time()) - 301),
        "other secret": payments.signed_body(body, secret="whsec_someone_else"),
        "body changed after signing": (body.replace(b'"paid"', b'"PAID"'), good_header),
        "truncated": (body[:-5], good_header),
        "not json": payments.signed_body(b"\xff\xfe not json"),
        "not an event": payments.signed_body(b'{"object": "charge"}'),
    }


async def test_every_forged_variant_is_a_400_and_nothing_is_stored(payments):
    order = await pending_order(payments)
    body = payments.event_body(
        payments.stripe_event("checkout.session.completed", payments.session_object(order))
    )
    before = await payments.snapshot()

    for name, (variant, header) in forged_variants(payments, body).items():
        response = await payments.post_stripe(variant, header)
        assert response.status_code == 400, name
        assert response.json()["code"] == "WEBHOOK_REJECTED", name

    assert await payments.snapshot() == before


async def test_a_paid_checkout_is_fulfilled_once_however_often_the_event_arrives(payments):
    order = await pending_order(payments)
    event = payments.stripe_event("checkout.session.completed", payments.session_object(order))
    body, header = payments.signed_body(payments.event_body(event))

    answers = await asyncio.gather(*(payments.post_stripe(body, header) for _ in range(10)))

    assert {a.status_code for a in answers} == {200}
    assert sum(not a.json()["duplicate"] for a in answers) == 1
    paid = await payments.wait_status(order["order_id"], "paid")
    await payments.settled()
    [succeeded] = await payments.recorded(PaymentSucceeded)
    assert str(succeeded.order_id) == order["order_id"]
    assert (succeeded.amount, succeeded.currency, succeeded.provider) == (40000, "USD", "sandbox")
    assert succeeded.pack.sessions_count == 4
    assert paid["payment_ref"] == payments.session_object(order)["payment_intent"]
    assert await payments.count("SELECT count(*) FROM webhook_events") == 1


async def test_a_completed_checkout_still_unpaid_is_not_fulfilled_until_the_async_payment(
    payments,
):
    order = await pending_order(payments)

    await payments.stripe(
        "checkout.session.completed", payments.session_object(order, payment_status="unpaid")
    )
    await payments.settled()
    assert (await payments.order(order["order_id"]))["status"] == "pending"

    await payments.stripe(
        "checkout.session.async_payment_succeeded", payments.session_object(order)
    )
    await payments.wait_status(order["order_id"], "paid")
    await payments.settled()
    assert len(await payments.recorded(PaymentSucceeded)) == 1


async def test_a_failed_async_payment_fails_the_order_and_frees_the_hold(payments):
    order = await pending_order(payments)

    await payments.stripe(
        "checkout.session.async_payment_failed",
        payments.session_object(order, payment_status="unpaid"),
    )

    await payments.wait_status(order["order_id"], "failed")
    await payments.settled()
    [failed] = await payments.recorded(PaymentFailed)
    assert str(failed.order_id) == order["order_id"]


async def test_an_expiry_after_the_payment_changes_nothing(payments):
    order = await pending_order(payments)
    await payments.stripe("checkout.session.completed", payments.session_object(order))
    await payments.wait_status(order["order_id"], "paid")

    await payments.stripe(
        "checkout.session.expired", payments.session_object(order, payment_status="unpaid")
    )
    await payments.settled()

    assert (await payments.order(order["order_id"]))["status"] == "paid"
    assert await payments.recorded(PaymentFailed) == []


async def test_a_refund_seen_before_the_payment_ends_refunded_and_never_fulfils(payments):
    order = await pending_order(payments)

    await payments.stripe("charge.refunded", payments.charge_refunded(order, amount_refunded=40000))
    await payments.wait_status(order["order_id"], "refunded")
    await payments.stripe("checkout.session.completed", payments.session_object(order))
    await payments.settled()

    final = await payments.order(order["order_id"])
    assert (final["status"], final["refunded_amount"]) == ("refunded", 40000)
    assert await payments.recorded(PaymentSucceeded) == []
    [refunded] = await payments.recorded(PaymentRefunded)
    assert (refunded.amount, refunded.full) == (40000, True)
    [failed] = await payments.recorded(PaymentFailed)  # packs frees the seat hold
    assert str(failed.order_id) == order["order_id"]


@pytest.mark.parametrize("amounts", [(15000,), (15000, 40000)])
async def test_refunds_at_stripe_are_counted_from_the_cumulative_amount(payments, amounts):
    order = await pending_order(payments)
    await payments.stripe("checkout.session.completed", payments.session_object(order))
    await payments.wait_status(order["order_id"], "paid")

    for total in amounts:
        await payments.stripe(
            "charge.refunded", payments.charge_refunded(order, amount_refunded=total)
        )
        await payments.settled()
    # A replayed older refund event (another event id, same cumulative figure) adds nothing.
    await payments.stripe(
        "charge.refunded", payments.charge_refunded(order, amount_refunded=amounts[0])
    )
    await payments.settled()

    final = await payments.order(order["order_id"])
    assert final["refunded_amount"] == amounts[-1]
    assert final["status"] == ("refunded" if amounts[-1] == 40000 else "partially_refunded")
    refunds = await payments.recorded(PaymentRefunded)
    assert sum(r.amount for r in refunds) == amounts[-1]
    assert refunds[-1].full is (amounts[-1] == 40000)


async def test_an_event_for_an_unknown_order_is_stored_and_answered(payments):
    missing = {"order_id": str(uuid.uuid4()), "final_amount": 100, "currency": "USD"}

    response = await payments.stripe("checkout.session.completed", payments.session_object(missing))
    await payments.settled()

    assert response.status_code == 200
    outcome = await payments.count("SELECT outcome FROM webhook_events")
    assert outcome == "no such order"


@pytest.mark.parametrize("ahead", [61, 301, 3600, 365 * 24 * 3600])
async def test_a_signature_dated_in_the_future_is_a_400_and_nothing_is_stored(payments, ahead):
    order = await pending_order(payments)
    before = await payments.snapshot()

    response = await payments.stripe(
        "checkout.session.completed", payments.session_object(order), at=int(time.time()) + ahead
    )

    assert response.status_code == 400, response.text
    assert response.json()["code"] == "WEBHOOK_REJECTED"
    assert "future" in response.json()["detail"]
    assert await payments.snapshot() == before


async def test_a_signature_within_the_clock_skew_is_accepted(payments):
    order = await pending_order(payments)

    response = await payments.stripe(
        "checkout.session.completed", payments.session_object(order), at=int(time.time()) + 30
    )

    assert response.status_code == 200, response.text
    await payments.wait_status(order["order_id"], "paid")


@pytest.mark.parametrize(
    "event_id", ["evt_\x00nul", "evt_\x1b[31m", "evt with space", "evt_\u202e", "e" * 256]
)
async def test_a_signed_event_whose_id_is_not_an_identifier_is_a_400(payments, event_id):
    order = await pending_order(payments)
    before = await payments.snapshot()

    response = await payments.stripe(
        "checkout.session.completed", payments.session_object(order), event_id=event_id
    )

    assert response.status_code == 400, response.text
    assert response.json()["code"] == "WEBHOOK_REJECTED"
    assert await payments.snapshot() == before


async def test_a_signed_event_whose_type_holds_a_nul_is_a_400(payments):
    order = await pending_order(payments)

    response = await payments.stripe("checkout.session.\x00", payments.session_object(order))

    assert response.status_code == 400, response.text
    assert response.json()["code"] == "WEBHOOK_REJECTED"
