"""What the webhook benchmark posts and watches: seeded orders, Stripe-signed events, and the
time each order's `pack.purchased` reached the benchmark."""

import asyncio
import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from functools import partial

import asyncpg
import nats
import stripe
from harness import NAMESPACE
from nats.js.api import DeliverPolicy

from shared.messaging.stream import stream_name, subject_for

SECRET = "whsec_bench_secret"
MENTOR = "mentor-bench"
PRODUCT_ID = uuid.uuid4()


async def seed_orders(database_url: str, count: int) -> list[uuid.UUID]:
    """One product and `count` pending orders, each for its own student."""
    connection = await asyncpg.connect(database_url)
    now = datetime.now(UTC)
    await connection.execute(
        "INSERT INTO products (product_id, mentor_id, title, price_amount, currency,"
        " sessions_count, session_minutes, validity_days, active, grandfathered, created_at,"
        " updated_at) VALUES ($1, $2, 'Bench pack', 10000, 'USD', 4, 60, 30, true, false,"
        " $3, $3)",
        PRODUCT_ID,
        MENTOR,
        now,
    )
    order_ids = [uuid.uuid4() for _ in range(count)]
    await connection.copy_records_to_table(
        "orders",
        columns=[
            "order_id",
            "student_id",
            "mentor_id",
            "product_id",
            "provider",
            "status",
            "idempotency_key",
            "request_fingerprint",
            "title",
            "sessions_count",
            "session_minutes",
            "validity_days",
            "currency",
            "original_amount",
            "discount_amount",
            "final_amount",
            "created_at",
            "expires_at",
            "updated_at",
        ],
        records=[
            (
                order_id,
                f"student-{order_id.hex[:12]}",
                MENTOR,
                PRODUCT_ID,
                "stripe",
                "pending",
                order_id.hex,
                "0" * 64,
                "Bench pack",
                4,
                60,
                30,
                "USD",
                10000,
                0,
                10000,
                now,
                now + timedelta(hours=2),
                now,
            )
            for order_id in order_ids
        ],
    )
    await connection.close()
    return order_ids


def signed_event(order_id: uuid.UUID) -> tuple[bytes, str]:
    event = {
        "id": f"evt_{uuid.uuid4().hex}",
        "object": "event",
        "api_version": "2025-01-27.acacia",
        "created": int(time.time()),
        "type": "checkout.session.completed",
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "data": {
            "object": {
                "id": f"cs_{order_id.hex}",
                "object": "checkout.session",
                "amount_total": 10000,
                "currency": "usd",
                "client_reference_id": str(order_id),
                "metadata": {"order_id": str(order_id)},
                "mode": "payment",
                "payment_intent": f"pi_{order_id.hex}",
                "payment_status": "paid",
                "status": "complete",
            }
        },
    }
    body = json.dumps(event, separators=(",", ":")).encode()
    return body, stripe.WebhookSignature.generate_signature_header(body.decode(), SECRET)


class PurchaseWatch:
    """When each order's `pack.purchased` reached this process (JetStream, ordered consumer),
    and its `payment.succeeded` (payments' share of the hop; packs' is the rest)."""

    def __init__(self) -> None:
        self.seen: dict[str, float] = {}
        self.paid: dict[str, float] = {}
        self._nc = None

    async def start(self, nats_url: str) -> None:
        self._nc = await nats.connect(nats_url)
        for subject, seen in (("pack.purchased", self.seen), ("payment.succeeded", self.paid)):
            await self._nc.jetstream().subscribe(
                subject_for(NAMESPACE, subject),
                stream=stream_name(NAMESPACE),
                ordered_consumer=True,
                deliver_policy=DeliverPolicy.NEW,
                cb=partial(self._on, seen),
            )

    @staticmethod
    async def _on(seen: dict[str, float], message) -> None:
        seen[json.loads(message.data)["data"]["order_id"]] = time.perf_counter()

    async def wait(self, order_ids: list[str], *, within: float = 120.0) -> None:
        async with asyncio.timeout(within):
            while any(o not in self.seen for o in order_ids):  # noqa: ASYNC110
                await asyncio.sleep(0.05)

    async def stop(self) -> None:
        if self._nc is not None:
            await self._nc.close()
