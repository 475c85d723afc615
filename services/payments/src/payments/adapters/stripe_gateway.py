"""Stripe through stripe-python: Checkout Sessions with inline prices, refunds."""

from typing import Any

import stripe

from payments.adapters.providers import CheckoutRequest, ProviderCheckout, RefundRequest


def make_client(*, api_key: str, api_base: str = "", timeout: float = 10.0) -> stripe.StripeClient:
    """A client on httpx (async); `api_base` points it elsewhere (tests, a local mock)."""
    return stripe.StripeClient(
        api_key,
        base_addresses={"api": api_base} if api_base else None,
        http_client=stripe.HTTPXClient(timeout=timeout),
        max_network_retries=2,
    )


class StripeCheckout:
    def __init__(self, client: stripe.StripeClient, *, success_url: str, cancel_url: str) -> None:
        self._client = client
        self._success_url = success_url
        self._cancel_url = cancel_url

    async def create_checkout(self, request: CheckoutRequest) -> ProviderCheckout:
        order_id = str(request.order_id)
        params: dict[str, Any] = {
            "mode": "payment",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": request.currency.lower(),
                        "unit_amount": request.amount,
                        "product_data": {"name": request.title},
                    },
                }
            ],
            "client_reference_id": order_id,
            "metadata": {"order_id": order_id},
            # Charges and refunds then carry the order id too.
            "payment_intent_data": {"metadata": {"order_id": order_id}},
            "expires_at": int(request.expires_at.timestamp()),
            "success_url": self._success_url.format(order_id=order_id),
            "cancel_url": self._cancel_url.format(order_id=order_id),
        }
        session = await self._client.v1.checkout.sessions.create_async(
            params,  # type: ignore[arg-type]
            options={"idempotency_key": f"checkout-{order_id}"},
        )
        return ProviderCheckout(provider_ref=session.id, redirect_url=session.url or "")

    async def refund(self, request: RefundRequest) -> str:
        refund = await self._client.v1.refunds.create_async(
            {
                "payment_intent": request.payment_ref,
                "amount": request.amount,
                "metadata": {
                    "order_id": str(request.order_id),
                    "refund_id": str(request.refund_id),
                },
            },
            options={"idempotency_key": f"refund-{request.refund_id}"},
        )
        return refund.id
