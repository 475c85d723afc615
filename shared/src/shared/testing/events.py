"""Publish and await events on real JetStream, from tests, and build the common ones."""

import asyncio
import json
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

import nats
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from nats.js.api import DeliverPolicy
from nats.js.errors import NotFoundError

from shared.messaging.dev_clock import bucket_name
from shared.messaging.events import Envelope, Event, PackShape, PaymentSucceeded
from shared.messaging.stream import domain_stream, stream_name, subject_for


class EventProbe:
    """Sees every event published in one namespace, from the start of the stream."""

    def __init__(self, nats_url: str, namespace: str) -> None:
        self.nats_url = nats_url
        self.namespace = namespace
        self.seen: list[Envelope] = []
        self._arrived = asyncio.Condition()
        self._nc: NATS | None = None

    async def start(self) -> "EventProbe":
        self._nc = await nats.connect(self.nats_url)
        js = self._nc.jetstream()
        # One ordered consumer per subject of the stream: NATS before 2.10 refuses a filter
        # (`<namespace>.>`) wider than the stream's subjects.
        for subject in domain_stream(self.namespace).subjects:
            await js.subscribe(
                subject,
                stream=stream_name(self.namespace),
                ordered_consumer=True,
                deliver_policy=DeliverPolicy.ALL,
                cb=self._on_message,
            )
        return self

    async def _on_message(self, message: Msg) -> None:
        async with self._arrived:
            self.seen.append(Envelope.model_validate_json(message.data))
            self._arrived.notify_all()

    def of_type(self, event_type: type[Event]) -> list[Envelope]:
        return [envelope for envelope in self.seen if envelope.type == event_type.subject]

    async def wait_for(
        self,
        event_type: type[Event],
        where: Callable[[Event], bool] = lambda _: True,
        *,
        count: int = 1,
        timeout: float = 10.0,  # noqa: ASYNC109 - a test deadline, applied with asyncio.timeout
    ) -> list[Envelope]:
        """The first `count` matching events; fails the test after `timeout` seconds."""

        def matching() -> list[Envelope]:
            return [e for e in self.of_type(event_type) if where(e.payload())]

        async with asyncio.timeout(timeout):
            async with self._arrived:
                await self._arrived.wait_for(lambda: len(matching()) >= count)
        return matching()[:count]

    async def stop(self) -> None:
        if self._nc is not None:
            await self._nc.close()


def a_purchase(
    student: str,
    mentor: str,
    *,
    paid_at: datetime,
    amount: int = 10_000,
    currency: str = "EUR",
    sessions: int = 4,
    days: int = 30,
    order_id: uuid.UUID | None = None,
) -> PaymentSucceeded:
    """A paid Stripe order for a pack of `sessions` 60-minute sessions valid `days` days."""
    return PaymentSucceeded(
        order_id=order_id or uuid.uuid4(),
        student_id=student,
        mentor_id=mentor,
        product_id=uuid.uuid4(),
        amount=amount,
        currency=currency,
        provider="stripe",
        paid_at=paid_at,
        pack=PackShape(sessions_count=sessions, session_minutes=60, validity_days=days),
    )


async def publish_raw(
    nats_url: str, namespace: str, envelope: Envelope, *, msg_id: str | None = None
) -> None:
    """Publish an envelope to the domain stream as a producer's relay would."""
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        await js.publish(
            subject_for(namespace, envelope.type),
            json.dumps(envelope.model_dump(mode="json")).encode(),
            stream=stream_name(namespace),
            headers={"Nats-Msg-Id": msg_id or str(envelope.id)},
        )
    finally:
        await nc.close()


async def ensure_stream(nats_url: str, namespace: str) -> None:
    """Declare the namespace's domain stream unless a service already has."""
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        try:
            await js.stream_info(stream_name(namespace))
        except NotFoundError:
            stream = domain_stream(namespace)
            # FastStream fills `config.subjects` only when it declares the stream itself.
            await js.add_stream(replace(stream.config, subjects=list(stream.subjects)))
    finally:
        await nc.close()


async def delete_stream(nats_url: str, namespace: str) -> None:
    """The namespace's event stream and its dev clock bucket (every dev-mode service makes one)."""
    nc = await nats.connect(nats_url)
    try:
        for name in (stream_name(namespace), f"KV_{bucket_name(namespace)}"):
            try:
                await nc.jetstream().delete_stream(name)
            except Exception:
                pass
    finally:
        await nc.close()
