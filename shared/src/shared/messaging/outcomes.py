"""How each message a consumer receives ends: accepted, refused, retried, deferred through an
outage, or dead-lettered; and the ack or nak that says so to JetStream."""

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from nats.aio.msg import Msg
from pydantic import ValidationError

from shared.logging import get_logger
from shared.messaging import dead_letters
from shared.messaging.consumer_health import ConsumerHealth
from shared.messaging.dead_letters import DeadLetterReason
from shared.messaging.events import Envelope, Event
from shared.messaging.failures import RetryPolicy, describe_error, is_infrastructure_failure
from shared.messaging.metrics import EVENTS_CONSUMED
from shared.uow import UnitOfWork, UnitOfWorkFactory

log = get_logger("shared.messaging.consumers")  # the lines these consumers always wrote

Handler = Callable[[Any, UnitOfWork, Envelope], Awaitable[None]]


@dataclass(frozen=True)
class Consumer:
    name: str
    event_type: type[Event]
    handler: Handler


@dataclass(frozen=True)
class Delivery:
    """A message that holds a valid envelope of its consumer's subject."""

    message: Msg
    envelope: Envelope
    payload: Event

    @property
    def attempt(self) -> int:
        return self.message.metadata.num_delivered


class Outcomes:
    """Settles messages of the consumers of one service: health, metrics, logs, dead letters."""

    def __init__(
        self, *, uow_factory: UnitOfWorkFactory, retry: RetryPolicy, health: ConsumerHealth
    ) -> None:
        self._uow_factory = uow_factory
        self._retry = retry
        self.health = health

    async def accept(self, consumer: Consumer, message: Msg) -> Delivery | None:
        """The message as a delivery, or None once a message no retry can fix is refused."""
        try:
            envelope = Envelope.model_validate_json(message.data)
        except ValidationError as exc:
            # A message that can never be parsed is not retried: it goes straight to the DLQ.
            await self.refuse(consumer, message, DeadLetterReason.unparseable, exc)
            return None
        if envelope.type != consumer.event_type.subject:
            # Never applied as the fact its subject names, nor as the one its type names.
            mismatch = TypeMismatch(envelope.type, consumer.event_type.subject)
            await self.refuse(consumer, message, DeadLetterReason.type_mismatch, mismatch)
            return None
        try:
            payload = consumer.event_type.model_validate(envelope.data)
        except ValidationError as exc:
            await self.refuse(consumer, message, DeadLetterReason.invalid_payload, exc)
            return None
        return Delivery(message, envelope, payload)

    async def refuse(
        self, consumer: Consumer, message: Msg, reason: DeadLetterReason, exc: Exception
    ) -> None:
        """Dead-letter a message that no retry can fix, then ack it."""
        attempt = message.metadata.num_delivered
        if await self.dead_letter(consumer, message, reason=reason, exc=exc, attempts=attempt):
            await message.ack()

    async def failed(self, consumer: Consumer, delivery: Delivery, exc: Exception) -> None:
        """Retry later with backoff, defer through an outage, or dead-letter at the last try."""
        error = describe_error(exc)
        attempt = delivery.attempt
        self.health.failed(consumer.name, error)
        if is_infrastructure_failure(exc):
            # The database is down or the transaction lost a race: not the event's fault, so
            # it never counts toward dead-lettering; short growing deferrals until it passes.
            delay = self._retry.outage_delay_after(attempt)
            outcome = "deferred"
        elif attempt >= self._retry.max_attempts:
            reason = DeadLetterReason.handler_failed
            if await self.dead_letter(
                consumer, delivery.message, reason=reason, exc=exc, attempts=attempt, counted=True
            ):
                await delivery.message.ack()
            return
        else:
            delay = self._retry.delay_after(attempt)
            outcome = "retry"
        log.warning(
            f"event.{outcome}",
            consumer=consumer.name,
            event_id=str(delivery.envelope.id),
            attempt=attempt,
            retry_in=delay,
            error=error,
        )
        EVENTS_CONSUMED.labels(consumer.name, outcome).inc()
        await delivery.message.nak(delay=delay)

    async def dead_letter(
        self,
        consumer: Consumer,
        message: Msg,
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
        body: bytes = message.data
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
            await message.nak(delay=delay)
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


class TypeMismatch(ValueError):
    def __init__(self, envelope_type: str, subject: str) -> None:
        super().__init__(f"an envelope of type {envelope_type!r} on subject {subject!r}")
        self.envelope_type = envelope_type


def _event_type_of(exc: Exception, body: bytes) -> str | None:
    if isinstance(exc, TypeMismatch):
        return exc.envelope_type
    try:
        value = json.loads(body).get("type")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None
