"""The sandbox provider of dev mode: its "payment" is a Stripe-format event, signed as Stripe does.

Pay and Cancel on the sandbox page post these events to the service's own
`/v1/webhooks/stripe`, so a local purchase runs the real verification and fulfilment path.
"""

import hashlib
import hmac
import json
import re
import time
from datetime import datetime
from uuid import UUID, uuid4

import stripe

from payments.adapters.providers import CheckoutRequest, ProviderCheckout, RefundRequest

API_VERSION = "2025-01-27.acacia"


class SandboxCheckout:
    def __init__(self, *, public_base_url: str, link_secret: str) -> None:
        self._base = public_base_url.rstrip("/")
        self._secret = link_secret

    async def create_checkout(self, request: CheckoutRequest) -> ProviderCheckout:
        """The page's link carries a token for this order and its student (a browser sends
        no bearer token), valid until the checkout expires."""
        token = link_token(
            order_id=request.order_id,
            student_id=request.student_id,
            expires_at=int(request.expires_at.timestamp()),
            secret=self._secret,
        )
        return ProviderCheckout(
            provider_ref=session_id(request.order_id),
            redirect_url=f"{self._base}/v1/sandbox/checkout/{request.order_id}?token={token}",
        )

    async def refund(self, request: RefundRequest) -> str:
        """Nothing to call: the sandbox never took money."""
        return f"re_sandbox_{request.refund_id.hex}"


def session_id(order_id: UUID) -> str:
    return f"cs_sandbox_{order_id.hex}"


def checkout_event(
    *,
    order_id: UUID,
    paid: bool,
    amount: int,
    currency: str,
    expires_at: int,
    now: int | None = None,
) -> bytes:
    """`checkout.session.completed` (paid) or `checkout.session.expired`, as Stripe sends them.

    The event id is derived from the order and the outcome: pressing Pay twice is one event.
    """
    created = now or int(time.time())
    kind = "completed" if paid else "expired"
    session = {
        "id": session_id(order_id),
        "object": "checkout.session",
        "amount_subtotal": amount,
        "amount_total": amount,
        "client_reference_id": str(order_id),
        "created": created,
        "currency": currency.lower(),
        "expires_at": expires_at,
        "livemode": False,
        "metadata": {"order_id": str(order_id)},
        "mode": "payment",
        "payment_intent": f"pi_sandbox_{order_id.hex}" if paid else None,
        "payment_status": "paid" if paid else "unpaid",
        "status": "complete" if paid else "expired",
    }
    event = {
        "id": f"evt_sandbox_{kind}_{order_id.hex}",
        "object": "event",
        "api_version": API_VERSION,
        "created": created,
        "data": {"object": session},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": f"req_sandbox_{uuid4().hex[:14]}", "idempotency_key": None},
        "type": f"checkout.session.{kind}",
    }
    return json.dumps(event, separators=(",", ":")).encode()


def sign(body: bytes, *, secret: str, timestamp: int | None = None) -> str:
    """The `Stripe-Signature` header Stripe would send for this body."""
    header: str = stripe.WebhookSignature.generate_signature_header(
        body.decode(), secret, timestamp=timestamp
    )
    return header


LINK_TOKEN = re.compile(r"^[0-9]{1,12}\.[0-9a-f]{64}$")


def link_token(*, order_id: UUID, student_id: str, expires_at: int, secret: str) -> str:
    """`<expiry>.<HMAC-SHA256>` over the order, its student and the expiry (unix seconds)."""
    return f"{expires_at}.{_link_mac(order_id, student_id, expires_at, secret)}"


def link_token_valid(
    token: str, *, order_id: UUID, student_id: str, secret: str, now: datetime
) -> bool:
    """True if `token` was made for this order and student and has not expired."""
    if not secret or not LINK_TOKEN.fullmatch(token):
        return False
    expiry, mac = token.split(".")
    expected = _link_mac(order_id, student_id, int(expiry), secret)
    return hmac.compare_digest(mac, expected) and now.timestamp() <= int(expiry)


def _link_mac(order_id: UUID, student_id: str, expires_at: int, secret: str) -> str:
    message = f"sandbox-link|{order_id}|{student_id}|{expires_at}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
