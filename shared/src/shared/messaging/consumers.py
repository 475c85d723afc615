"""Durable pull consumers: inbox for idempotency, backoff on failure, dead letters at the end."""

import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from faststream import AckPolicy
from faststream.nats import NatsBroker, NatsMessage, PullSub
from nats.js.api import ConsumerConfig, DeliverPolicy
from pydantic import ValidationError

from shared.logging import bound_contextvars, get_logger
from shared.messaging import context, dead_letters, inbox, observe
from shared.messaging.consumer_health import ConsumerHealth
from shared.messaging.dead_letters import DeadLetterReason
from shared.messaging.events import Envelope, Event
from shared.messaging.failures import RetryPolicy, describe_error, is_infrastructure_failure
from shared.messaging.metrics import EVENTS_CONSUMED
from shared.messaging.stream import domain_stream, subject_for
from shared.uow import UnitOfWork, UnitOfWorkFactory

log = get_logger(__name__)

E = TypeVar("E", bound=Event)
Handler = Callable[[Any, UnitOfWork, Envelope], Awaitable[None]]


@dataclass(frozen=True)
class Consumer:
    name: str
    event_type: type[Event]
    handler: Handler


class EventConsumers:
    """Registers one durable pull consumer per (service, purpose) on the domain stream."""

    def __init__(
        self,
        *,
        service: str,
        broker: NatsBroker,
        namespace: str,
        uow_factory: UnitOfWorkFactory,
        retry: RetryPolicy,
        max_workers: int = 8,
    ) -> None:
        self.service = service
        self._max_workers = max_workers
        self._broker = broker
        self._namespace = namespace
        self._uow_factory = uow_factory
        self._retry = retry
        self._stream = domain_stream(namespace)
        self.by_name: dict[str, Consumer] = {}
        self.health = ConsumerHealth()

    def on(self, event_type: type[E], *, purpose: str) -> Callable[[Handler], Handler]:
        """Decorate `async def handler(event, uow, envelope)`; it must not commit."""

        def register(handler: Handler) -> Handler:
            consumer = Consumer(f"{self.service}-{purpose}", event_type, handler)
            if consumer.name in self.by_name:
                raise ValueError(f"consumer {consumer.name} registered twice")
            self.by_name[consumer.name] = consumer
            self._subscribe(consumer)
            return handler

        return register

    def _subscribe(self, consumer: Consumer) -> None:
        subject = subject_for(self._namespace, consumer.event_type.subject)

        @self._broker.subscriber(
            subject,
            stream=self._stream,
            durable=consumer.name,
            # One message per pull: nats-py's batched fetch waits for the rest of a batch
            # after the first message arrives; workers give the concurrency instead.
            pull_sub=PullSub(batch_size=1, timeout=5.0),
            max_workers=self._max_workers,
            config=ConsumerConfig(
                durable_name=consumer.name,
                filter_subject=subject,
                deliver_policy=DeliverPolicy.ALL,
                ack_wait=30,
                # No ceiling: JetStream would drop a message silently past it. Handler
                # failures are dead-lettered by us at `max_attempts`; infrastructure
                # failures wait for the database to come back.
                max_deliver=-1,
            ),
            ack_policy=AckPolicy.NACK_ON_ERROR,
            title=consumer.name,
        )
        async def receive(body: object) -> None:
            await self._receive(consumer, self._broker.context.get_local("message"))

    async def _receive(self, consumer: Consumer, message: NatsMessage) -> None:
        attempt = message.raw_message.metadata.num_delivered
        try:
            envelope = Envelope.model_validate_json(message.body)
        except ValidationError as exc:
            # A message that can never be parsed is not retried: it goes straight to the DLQ.
            await self._refuse(consumer, message, DeadLetterReason.unparseable, exc, attempt)
            return
        if envelope.type != consumer.event_type.subject:
            # Never applied as the fact its subject names, nor as the one its type names.
            mismatch = TypeMismatch(envelope.type, consumer.event_type.subject)
            await self._refuse(consumer, message, DeadLetterReason.type_mismatch, mismatch, attempt)
            return
        try:
            payload = consumer.event_type.model_validate(envelope.data)
        except ValidationError as exc:
            await self._refuse(consumer, message, DeadLetterReason.invalid_payload, exc, attempt)
            return
        try:
            await self.process(consumer, envelope, payload=payload)
        except Exception as exc:
            await self._after_failure(consumer, message, envelope, exc, attempt)
            return
        self.health.succeeded(consumer.name)
        await message.ack()

    async def _refuse(
        self,
        consumer: Consumer,
        message: NatsMessage,
        reason: DeadLetterReason,
        exc: Exception,
        attempt: int,
    ) -> None:
        """Dead-letter a message that no retry can fix, then ack it."""
        if await self._dead_letter(consumer, message, reason=reason, exc=exc, attempts=attempt):
            await message.ack()

    async def _after_failure(
        self,
        consumer: Consumer,
        message: NatsMessage,
        envelope: Envelope,
        exc: Exception,
        attempt: int,
    ) -> None:
        error = describe_error(exc)
        self.health.failed(consumer.name, error)
        if is_infrastructure_failure(exc):
            # The database is down or the transaction lost a race: not the event's fault, so
            # it never counts toward dead-lettering; short growing deferrals until it passes.
            delay = self._retry.outage_delay_after(attempt)
            outcome = "deferred"
        elif attempt >= self._retry.max_attempts:
            reason = DeadLetterReason.handler_failed
            if await self._dead_letter(
                consumer, message, reason=reason, exc=exc, attempts=attempt, counted=True
            ):
                await message.ack()
            return
        else:
            delay = self._retry.delay_after(attempt)
            outcome = "retry"
        log.warning(
            f"event.{outcome}",
            consumer=consumer.name,
            event_id=str(envelope.id),
            attempt=attempt,
            retry_in=delay,
            error=error,
        )
        EVENTS_CONSUMED.labels(consumer.name, outcome).inc()
        await message.nack(delay=delay)

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
        with bound_contextvars(
            event_id=str(envelope.id),
            event_type=envelope.type,
            correlation_id=envelope.correlation_id,
            consumer=consumer.name,
        ):
            correlation = context.correlation_id.set(envelope.correlation_id)
            causation = context.causation_id.set(str(envelope.id))
            try:
                async with self._uow_factory() as uow:
                    first_time = await inbox.claim(
                        uow.connection, consumer=consumer.name, event_id=envelope.id
                    )
                    if first_time:
                        await consumer.handler(payload or envelope.payload(), uow, envelope)
                    if before_commit is not None:
                        await before_commit(uow)
                    await uow.commit()
            finally:
                context.correlation_id.reset(correlation)
                context.causation_id.reset(causation)
        observe.event_handled(
            consumer=consumer.name,
            event_type=envelope.type,
            event_id=str(envelope.id),
            correlation_id=envelope.correlation_id,
            seconds=time.perf_counter() - started,
            first_time=first_time,
        )
        return first_time

    async def _dead_letter(
        self,
        consumer: Consumer,
        message: NatsMessage,
        *,
        reason: DeadLetterReason,
        exc: Exception,
        attempts: int,
        counted: bool = False,
    ) -> bool:
        """Store the message as a dead letter; if that fails, nack it with an outage delay."""
        error = describe_error(exc)
        if not counted:
            self.health.failed(consumer.name, error)
        body: bytes = message.body
        try:
            async with self._uow_factory() as uow:
                await dead_letters.store(
                    uow.connection,
                    consumer=consumer.name,
                    subject=consumer.event_type.subject,
                    body=body,
                    reason=reason,
                    error=error,
                    attempts=attempts,
                    event_type=_event_type_of(exc, body),
                )
                await uow.commit()
        except Exception as store_exc:
            delay = self._retry.outage_delay_after(attempts)
            log.error(
                "event.dead_letter_not_stored",
                consumer=consumer.name,
                attempt=attempts,
                retry_in=delay,
                error=describe_error(store_exc),
            )
            EVENTS_CONSUMED.labels(consumer.name, "dead_letter_failed").inc()
            await message.nack(delay=delay)
            return False
        log.error(
            "event.dead_lettered",
            consumer=consumer.name,
            reason=reason.value,
            attempts=attempts,
            error=error,
        )
        EVENTS_CONSUMED.labels(consumer.name, "dead_lettered").inc()
        return True

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


class TypeMismatch(ValueError):
    def __init__(self, envelope_type: str, subject: str) -> None:
        super().__init__(f"an envelope of type {envelope_type!r} on subject {subject!r}")
        self.envelope_type = envelope_type


class NotReplayable(ValueError):
    """A dead letter that no replay can apply: it is not an envelope of its subject."""


def _event_type_of(exc: Exception, body: bytes) -> str | None:
    if isinstance(exc, TypeMismatch):
        return exc.envelope_type
    try:
        value = json.loads(body).get("type")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None
