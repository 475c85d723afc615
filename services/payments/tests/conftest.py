"""Fixtures for payments tests: a live payments service, packs and Stripe stand-ins, a driver."""

import json
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
import stripe
from sqlalchemy import select

from payments.adapters import stripe_gateway
from payments.adapters.sandbox import SandboxCheckout
from payments.adapters.tables import orders
from payments.config import Settings
from payments.domain.model import Provider
from payments.main import ALEMBIC_INI, create_app
from shared.clock import FakeClock
from shared.messaging.events import Event
from shared.testing.events import ensure_stream
from shared.testing.helpers import eventually
from shared.testing.plugin import auth_headers
from shared.testing.rows import recorded_events, scalar, table_rows

from .integration.fakes import FakeStripe, PacksStandIn

WEBHOOK_SECRET = "whsec_test_payments_secret"
MENTOR = auth_headers("mentor-1", "mentor")
ADMIN = auth_headers("admin-1", "admin")


def student(user_id: str = "student-1") -> dict[str, str]:
    return auth_headers(user_id, "student")


@pytest.fixture
def clock() -> FakeClock:
    # Stripe signatures are checked against the real time: start the fake clock there.
    return FakeClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
async def packs_stand_in(nats_url, namespace):
    stand_in = await PacksStandIn(nats_url, namespace).start()
    yield stand_in
    await stand_in.stop()


@pytest.fixture
def fake_stripe():
    server = FakeStripe().start()
    yield server
    server.stop()


class PaymentsDriver:
    """Drives one running payments service over HTTP, signs webhooks, reads its tables."""

    def __init__(self, service, clock: FakeClock) -> None:
        self.service = service
        self.client = service.client
        self.runtime = service.runtime
        self.database_url = service.database_url
        self.clock = clock

    async def product(self, headers=MENTOR, **fields) -> dict:
        body = {"title": "Four sessions", "price_amount": 40000, "currency": "usd", **fields}
        response = await self.client.post("/v1/products", json=body, headers=headers)
        assert response.status_code == 201, response.text
        return response.json()

    async def checkout(
        self,
        product_id: str,
        *,
        who: str = "student-1",
        provider: str = "sandbox",
        key: str | None = None,
        promo_code: str | None = None,
    ):
        body: dict[str, Any] = {"product_id": product_id, "provider": provider}
        if promo_code is not None:
            body["promo_code"] = promo_code
        headers = {**student(who), "Idempotency-Key": key or uuid.uuid4().hex}
        return await self.client.post("/v1/checkout", json=body, headers=headers)

    async def paid_checkout(self, product_id: str, **kwargs) -> dict:
        response = await self.checkout(product_id, **kwargs)
        assert response.status_code == 201, response.text
        order = response.json()
        await self.stripe(
            "checkout.session.completed", session_object(order), event_id=f"evt_{uuid.uuid4().hex}"
        )
        await self.wait_status(order["order_id"], "paid")
        return order

    @staticmethod
    def event_body(event: dict) -> bytes:
        return json.dumps(event).encode()

    @staticmethod
    def signed_body(body: bytes, *, secret: str = WEBHOOK_SECRET, at: int | None = None):
        """The body with the `Stripe-Signature` Stripe would send (stripe-python's own signer)."""
        header = stripe.WebhookSignature.generate_signature_header(
            body.decode(errors="replace"), secret, timestamp=at or int(time.time())
        )
        return body, header

    def signed(self, event: dict, **sign):
        return self.signed_body(self.event_body(event), **sign)

    async def stripe(self, event_type: str, obj: dict, *, event_id: str | None = None, **sign):
        event = stripe_event(event_type, obj, event_id=event_id)
        body, header = self.signed(event, **sign)
        return await self.post_stripe(body, header)

    async def post_stripe(self, body: bytes, header: str | None):
        headers = {"Content-Type": "application/json"}
        if header is not None:
            headers["Stripe-Signature"] = header
        return await self.client.post("/v1/webhooks/stripe", content=body, headers=headers)

    async def order(self, order_id: str) -> dict:
        async with self.runtime.connection_factory() as db:
            row = (await db.execute(select(orders).where(orders.c.order_id == order_id))).one()
        return dict(row._mapping)

    async def wait_status(self, order_id: str, status: str) -> dict:
        async def reached():
            found = await self.order(order_id)
            return found if found["status"] == status else None

        return await eventually(reached)

    async def settled(self) -> None:
        """Every stored webhook processed."""
        await self.runtime.jobs.run_now("process-webhook-events")
        await eventually(
            lambda: self.count("SELECT count(*) = 0 FROM webhook_events WHERE processed_at IS NULL")
        )

    async def recorded(self, event_type: type[Event]) -> list[Event]:
        """Events this service committed to its outbox, oldest first."""
        return await recorded_events(self.runtime.connection_factory, event_type)

    async def count(self, sql: str, **params) -> Any:
        return await scalar(self.runtime.connection_factory, sql, **params)

    async def snapshot(self) -> dict[str, list]:
        """Every row of the payments tables, to show that a refused request changed nothing."""
        return await table_rows(
            self.runtime.connection_factory,
            ("orders", "promo_codes", "refunds", "webhook_events", "refund_requests"),
        )


def stripe_event(event_type: str, obj: dict, *, event_id: str | None = None) -> dict:
    return {
        "id": event_id or f"evt_{uuid.uuid4().hex}",
        "object": "event",
        "api_version": "2025-01-27.acacia",
        "created": int(time.time()),
        "data": {"object": obj},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
    }


def session_object(order: dict, *, payment_status: str = "paid") -> dict:
    order_id = order["order_id"]
    return {
        "id": f"cs_test_{order_id}",
        "object": "checkout.session",
        "amount_total": order["final_amount"],
        "currency": order["currency"].lower(),
        "client_reference_id": order_id,
        "metadata": {"order_id": order_id},
        "mode": "payment",
        "payment_intent": f"pi_{uuid.UUID(order_id).hex}",
        "payment_status": payment_status,
        "status": "complete",
    }


def charge_refunded(order: dict, *, amount_refunded: int) -> dict:
    order_id = order["order_id"]
    return {
        "id": f"ch_{uuid.UUID(order_id).hex}",
        "object": "charge",
        "amount": order["final_amount"],
        "amount_refunded": amount_refunded,
        "currency": order["currency"].lower(),
        "metadata": {"order_id": order_id},
        "payment_intent": f"pi_{uuid.UUID(order_id).hex}",
        "refunded": amount_refunded == order["final_amount"],
    }


@pytest.fixture
async def domain_stream(nats_url, namespace) -> None:
    """The namespace's stream, declared as the probe declares it (cheaper than a probe)."""
    await ensure_stream(nats_url, namespace)


@pytest.fixture
async def start_payments(domain_stream, start_service, clock, packs_stand_in, fake_stripe):
    """`await start_payments(**settings)`: payments with sandbox and Stripe (on the fake)."""

    async def start(*, providers=None, **overrides) -> PaymentsDriver:
        client = stripe_gateway.make_client(api_key="sk_test_fake", api_base=fake_stripe.url)
        providers = providers or {
            Provider.stripe: stripe_gateway.StripeCheckout(
                client,
                success_url="https://app.test/checkout/{order_id}/done",
                cancel_url="https://app.test/checkout/{order_id}/cancel",
            ),
            Provider.sandbox: SandboxCheckout(
                public_base_url="http://payments.test", link_secret=WEBHOOK_SECRET
            ),
        }
        service = await start_service(
            create_app,
            Settings,
            ALEMBIC_INI,
            app_kwargs={"clock": clock, "providers": providers},
            stripe_webhook_secret=WEBHOOK_SECRET,
            **overrides,
        )
        return PaymentsDriver(service, clock)

    return start


@pytest.fixture
async def payments(start_payments) -> PaymentsDriver:
    return await start_payments()


PaymentsDriver.stripe_event = staticmethod(stripe_event)  # type: ignore[attr-defined]
PaymentsDriver.session_object = staticmethod(session_object)  # type: ignore[attr-defined]
PaymentsDriver.charge_refunded = staticmethod(charge_refunded)  # type: ignore[attr-defined]
