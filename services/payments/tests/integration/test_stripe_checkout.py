"""Stripe Checkout Sessions through stripe-python, asserted at Stripe's HTTP boundary."""

from datetime import timedelta


async def test_a_stripe_checkout_creates_a_session_with_inline_price_and_the_order_id(
    payments, fake_stripe, clock
):
    product = await payments.product(price_amount=40000, currency="eur")

    response = await payments.checkout(product["product_id"], provider="stripe")

    assert response.status_code == 201, response.text
    order = response.json()
    [sent] = fake_stripe.of_path("/v1/checkout/sessions")
    order_id = order["order_id"]
    assert sent.headers["authorization"] == "Bearer sk_test_fake"
    assert sent.headers["idempotency-key"] == f"checkout-{order_id}"
    assert sent.form == {
        "mode": "payment",
        "line_items[0][quantity]": "1",
        "line_items[0][price_data][currency]": "eur",
        "line_items[0][price_data][unit_amount]": "40000",
        "line_items[0][price_data][product_data][name]": "Four sessions",
        "client_reference_id": order_id,
        "metadata[order_id]": order_id,
        "payment_intent_data[metadata][order_id]": order_id,
        "expires_at": str(int((clock.now() + timedelta(minutes=30)).timestamp())),
        "success_url": f"https://app.test/checkout/{order_id}/done",
        "cancel_url": f"https://app.test/checkout/{order_id}/cancel",
    }
    assert order["redirect_url"] == "https://checkout.stripe.com/c/pay/cs_test_1"
    stored = await payments.order(order_id)
    assert stored["provider_ref"] == "cs_test_1"


async def test_a_replayed_checkout_does_not_create_a_second_session(payments, fake_stripe):
    product = await payments.product()

    first = await payments.checkout(product["product_id"], provider="stripe", key="k-1")
    again = await payments.checkout(product["product_id"], provider="stripe", key="k-1")

    assert first.json() == again.json()
    assert len(fake_stripe.of_path("/v1/checkout/sessions")) == 1
