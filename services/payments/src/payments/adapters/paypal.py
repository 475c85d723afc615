"""PayPal Orders v2 over httpx: create an order (intent CAPTURE), capture it, refund a capture.

Plain httpx rather than PayPal's server SDK (decision 0007): the calls are four JSON
endpoints, httpx is already our async client, and tests can point it at a loopback server.
"""

import asyncio
import time
from decimal import Decimal
from typing import Any

import httpx

from payments.adapters.event_fields import paypal_payment
from payments.adapters.providers import (
    CaptureResult,
    CheckoutRequest,
    ProviderCheckout,
    RefundRequest,
)

# PayPal's currencies without minor units; every other one has two decimals.
ZERO_DECIMAL = frozenset({"HUF", "JPY", "TWD"})


def to_paypal_value(amount: int, currency: str) -> str:
    if currency.upper() in ZERO_DECIMAL:
        return str(amount)
    return f"{Decimal(amount) / 100:.2f}"


def from_paypal_value(value: str, currency: str) -> int:
    """Minor units of a PayPal decimal string ("12.34" → 1234)."""
    amount = Decimal(value)
    return int(amount if currency.upper() in ZERO_DECIMAL else amount * 100)


class PayPalOrders:
    def __init__(
        self,
        *,
        api_base: str,
        client_id: str,
        client_secret: str,
        return_url: str,
        cancel_url: str,
        timeout: float = 10.0,
    ) -> None:
        self._client = httpx.AsyncClient(base_url=api_base, timeout=timeout)
        self._auth = (client_id, client_secret)
        self._return_url = return_url
        self._cancel_url = cancel_url
        self._token: tuple[str, float] | None = None
        self._token_lock = asyncio.Lock()

    async def _bearer(self) -> dict[str, str]:
        async with self._token_lock:
            if self._token is None or self._token[1] <= time.monotonic():
                response = await self._client.post(
                    "/v1/oauth2/token",
                    data={"grant_type": "client_credentials"},
                    auth=self._auth,
                )
                response.raise_for_status()
                body = response.json()
                lifetime = float(body.get("expires_in", 300))
                self._token = (body["access_token"], time.monotonic() + lifetime * 0.9)
            return {"Authorization": f"Bearer {self._token[0]}"}

    async def _post(self, path: str, *, request_id: str, json: dict[str, Any]) -> dict[str, Any]:
        headers = {**await self._bearer(), "PayPal-Request-Id": request_id}
        response = await self._client.post(path, json=json, headers=headers)
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body

    async def create_checkout(self, request: CheckoutRequest) -> ProviderCheckout:
        order_id = str(request.order_id)
        created = await self._post(
            "/v2/checkout/orders",
            request_id=f"order-{order_id}",
            json={
                "intent": "CAPTURE",
                "purchase_units": [
                    {
                        "reference_id": order_id,
                        "custom_id": order_id,
                        "description": request.title[:127],
                        "amount": {
                            "currency_code": request.currency,
                            "value": to_paypal_value(request.amount, request.currency),
                        },
                    }
                ],
                "application_context": {
                    "return_url": self._return_url.format(order_id=order_id),
                    "cancel_url": self._cancel_url.format(order_id=order_id),
                    "user_action": "PAY_NOW",
                },
            },
        )
        links = {link.get("rel"): link.get("href") for link in created.get("links", [])}
        url = links.get("payer-action") or links.get("approve") or ""
        return ProviderCheckout(provider_ref=created["id"], redirect_url=url)

    async def capture(self, *, paypal_order_id: str, order_id: str) -> CaptureResult:
        captured = await self._post(
            f"/v2/checkout/orders/{paypal_order_id}/capture",
            request_id=f"capture-{order_id}",
            json={},
        )
        captures = [
            capture
            for unit in captured.get("purchase_units", [])
            for capture in (unit.get("payments") or {}).get("captures", [])
        ]
        first = captures[0] if captures else {}
        status = str(first.get("status") or captured.get("status") or "UNKNOWN")
        return CaptureResult(
            capture_id=first.get("id"),
            completed=status == "COMPLETED",
            declined=status in ("DECLINED", "FAILED"),
            status=status,
            reported=paypal_payment(first, to_minor=from_paypal_value)
            if "amount" in first
            else None,
        )

    async def refund(self, request: RefundRequest) -> str:
        refunded = await self._post(
            f"/v2/payments/captures/{request.payment_ref}/refund",
            request_id=f"refund-{request.refund_id}",
            json={
                "amount": {
                    "currency_code": request.currency,
                    "value": to_paypal_value(request.amount, request.currency),
                },
                "custom_id": str(request.order_id),
                "invoice_id": str(request.refund_id),
            },
        )
        return str(refunded["id"])

    async def close(self) -> None:
        await self._client.aclose()
