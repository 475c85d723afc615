"""Durable pull consumers: inbox for idempotency, a batch applied in one unit of work, backoff
on failure, dead letters at the end."""

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import TypeVar

from faststream.nats import NatsBroker
from nats.aio.msg import Msg
from pydantic import ValidationError

from shared.logging import bound_contextvars, get_logger
from shared.messaging import context, dead_letters, inbox, observe
from shared.messaging.consumer_health import ConsumerHealth
from shared.messaging.events import Envelope, Event
from shared.messaging.failures import (
    RetryPolicy,
    describe_error,
    is_conflict,
    is_infrastructure_failure,
)
from shared.messaging.outcomes import Consumer, Delivery, Handler, Outcomes, TypeMismatch
from shared.messaging.pulling import PullLoop
from shared.messaging.stream import (
    RETENTION_SECONDS,
    declare_domain_stream,
    stream_name,
    subject_for,
    while_busy,
)
from shared.uow import UnitOfWork, UnitOfWorkFactory

log = get_logger(__name__)

E = TypeVar("E", bound=Event)

GRACE_SECONDS = 10.0
"""How long a stopping consumer lets the messages it is applying finish."""


class EventConsumers:
    """One durable pull consumer per (service, purpose) on the domain stream.

    Each pulls what is ready (up to `batch_size`) and applies it in one unit of work: one
    inbox statement claims every event id, the handlers run in delivery order, one commit,
    then each message is acked. If anything in the batch fails, the batch is rolled back and
    each message is applied on its own, so a poison message retries and dead-letters alone.
    """

    def __init__(
        self,
        *,
        service: str,
        broker: NatsBroker,
        namespace: str,
        uow_factory: UnitOfWorkFactory,
        retry: RetryPolicy,
        batch_size: int,
        stream_replicas: int = 1,
        stream_max_age_seconds: float = RETENTION_SECONDS,
    ) -> None:
        self.service = service
        self._stream_replicas = stream_replicas
        self._stream_max_age_seconds = stream_max_age_seconds
        self._broker = broker
        self._namespace = namespace
        self._uow_factory = uow_factory
        self._batch_size = batch_size
        self._loops: list[PullLoop] = []
        self.by_name: dict[str, Consumer] = {}
        self.health = ConsumerHealth()
        self._outcomes = Outcomes(uow_factory=uow_factory, retry=retry, health=self.health)

    def on(self, event_type: type[E], *, purpose: str) -> Callable[[Handler], Handler]:
        """Decorate `async def handler(event, uow, envelope)`; it must not commit."""

        def register(handler: Handler) -> Handler:
            consumer = Consumer(f"{self.service}-{purpose}", event_type, handler)
            if consumer.name in self.by_name:
                raise ValueError(f"consumer {consumer.name} registered twice")
            self.by_name[consumer.name] = consumer
            return handler

        return register

    async def start(self) -> None:
        """Declare the domain stream and start pulling (the broker is connected)."""
        jetstream = self._broker.connection.jetstream()
        await while_busy(
            lambda: declare_domain_stream(
                jetstream,
                self._namespace,
                replicas=self._stream_replicas,
                max_age_seconds=self._stream_max_age_seconds,
            ),
            what="the domain stream",
        )
        for consumer in self.by_name.values():
            loop = PullLoop(
                jetstream=jetstream,
                stream=stream_name(self._namespace),
                subject=subject_for(self._namespace, consumer.event_type.subject),
                durable=consumer.name,
                batch_size=self._batch_size,
                receive=partial(self._receive, consumer),
            )
            await loop.start()
            self._loops.append(loop)

    async def stop(self) -> None:
        loops, self._loops = self._loops, []
        await asyncio.gather(*(loop.stop(grace_seconds=GRACE_SECONDS) for loop in loops))

    async def _receive(self, consumer: Consumer, messages: list[Msg]) -> None:
        accepted = [await self._outcomes.accept(consumer, message) for message in messages]
        deliveries = [delivery for delivery in accepted if delivery is not None]
        if len(deliveries) > 1:
            failure = await self._apply_together(consumer, deliveries)
            if failure is None:
                return
            if is_infrastructure_failure(failure) and not is_conflict(failure):
                # The database is not answering: each message alone would only wait again.
                for delivery in deliveries:
                    await self._outcomes.failed(consumer, delivery, failure)
                return
        for delivery in deliveries:
            await self._apply_alone(consumer, delivery)

    async def _apply_together(
        self, consumer: Consumer, deliveries: list[Delivery]
    ) -> Exception | None:
        """Apply the batch in one unit of work and ack it; the failure if it rolled back."""
        started = time.perf_counter()
        try:
            async with self._uow_factory() as uow:
                fresh = await inbox.claim_each(
                    uow.connection,
                    consumer=consumer.name,
                    event_ids=[delivery.envelope.id for delivery in deliveries],
                )
                first_times: list[bool] = []
                for delivery in deliveries:
                    first_time = delivery.envelope.id in fresh
                    fresh.discard(delivery.envelope.id)  # a second copy in the batch: a duplicate
                    if first_time:
                        with _handling(consumer, delivery.envelope):
                            await consumer.handler(delivery.payload, uow, delivery.envelope)
                    first_times.append(first_time)
                await uow.commit()
        except Exception as exc:
            log.info(
                "event.batch_split",
                consumer=consumer.name,
                size=len(deliveries),
                error=describe_error(exc),
            )
            return exc
        seconds = (time.perf_counter() - started) / len(deliveries)
        for delivery, first_time in zip(deliveries, first_times, strict=True):
            _observe(consumer, delivery.envelope, seconds=seconds, first_time=first_time)
            await delivery.message.ack()
        self.health.succeeded(consumer.name)
        return None

    async def _apply_alone(self, consumer: Consumer, delivery: Delivery) -> None:
        try:
            await self.process(consumer, delivery.envelope, payload=delivery.payload)
        except Exception as exc:
            await self._outcomes.failed(consumer, delivery, exc)
            return
        self.health.succeeded(consumer.name)
        await delivery.message.ack()

    async def process(
        self,
        consumer: Consumer,
        envelope: Envelope,
        *,
        payload: Event | None = None,
        before_commit: Callable[[UnitOfWork], Awaitable[None]] | None = None,
    ) -> bool:
        """Apply the handler once per (consumer, event id); False if it was a duplicate."""
        started = time.perf_counter()
        with _handling(consumer, envelope):
            async with self._uow_factory() as uow:
                first_time = await inbox.claim(
                    uow.connection, consumer=consumer.name, event_id=envelope.id
                )
                if first_time:
                    await consumer.handler(payload or envelope.payload(), uow, envelope)
                if before_commit is not None:
                    await before_commit(uow)
                await uow.commit()
                seconds = time.perf_counter() - started
                _observe(consumer, envelope, seconds=seconds, first_time=first_time)
        return first_time

    async def replay(self, dead_letter_id: int) -> bool:
        """Run a dead letter through its consumer again; raises if it fails again."""
        async with self._uow_factory() as uow:
            letter = await dead_letters.get(uow.connection, dead_letter_id)
        if letter is None:
            raise dead_letters.DeadLetterNotFound(dead_letter_id)
        consumer = self.by_name[letter.consumer]
        try:
            envelope = Envelope.model_validate_json(letter.body)
        except ValidationError as exc:
            raise NotReplayable(f"the message is not an envelope: {describe_error(exc)}") from exc
        if envelope.type != consumer.event_type.subject:
            raise NotReplayable(str(TypeMismatch(envelope.type, consumer.event_type.subject)))
        try:
            payload = consumer.event_type.model_validate(envelope.data)
        except ValidationError as exc:
            raise NotReplayable(f"the payload breaks its contract: {describe_error(exc)}") from exc

        async def mark_replayed(uow: UnitOfWork) -> None:
            await dead_letters.mark_replayed(uow.connection, dead_letter_id)

        applied = await self.process(
            consumer, envelope, payload=payload, before_commit=mark_replayed
        )
        self.health.succeeded(consumer.name)
        return applied


class NotReplayable(ValueError):
    """A dead letter that no replay can apply: it is not an envelope of its subject."""


@contextmanager
def _handling(consumer: Consumer, envelope: Envelope) -> Iterator[None]:
    """Logs bound to the event; events it records caused by it, in its correlation."""
    with bound_contextvars(
        event_id=str(envelope.id),
        event_type=envelope.type,
        correlation_id=envelope.correlation_id,
        consumer=consumer.name,
    ):
        correlation = context.correlation_id.set(envelope.correlation_id)
        causation = context.causation_id.set(str(envelope.id))
        try:
            yield
        finally:
            context.correlation_id.reset(correlation)
            context.causation_id.reset(causation)


def _observe(consumer: Consumer, envelope: Envelope, *, seconds: float, first_time: bool) -> None:
    observe.event_handled(
        consumer=consumer.name,
        event_type=envelope.type,
        event_id=str(envelope.id),
        correlation_id=envelope.correlation_id,
        seconds=seconds,
        first_time=first_time,
    )
