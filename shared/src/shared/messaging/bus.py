"""One object per service process: broker, stream, outbox, relay, consumers and requests."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from faststream import AckPolicy
from faststream.nats import NatsBroker
from pydantic import BaseModel

from shared.clock import Clock
from shared.db import ConnectionFactory
from shared.logging import get_logger
from shared.messaging.consumers import EventConsumers
from shared.messaging.failures import RetryPolicy, describe_error
from shared.messaging.outbox import Outbox, Relay
from shared.messaging.request_client import Requester
from shared.messaging.request_server import RequestServer
from shared.messaging.stream import stream_name
from shared.settings import ServiceSettings
from shared.uow import UnitOfWork

Req = TypeVar("Req", bound=BaseModel)
Rep = TypeVar("Rep", bound=BaseModel)

log = get_logger(__name__)

PING_INTERVAL_SECONDS = 5


def make_broker(settings: ServiceSettings) -> NatsBroker:
    """A NatsBroker that nacks (never terminates) failed messages and reconnects forever."""
    logger = logging.getLogger(f"faststream.{settings.service_name}")
    # FastStream's INFO lines are lifecycle chatter (one per subscriber task at every stop);
    # what matters is logged by the kernel itself with event ids bound.
    logger.setLevel(logging.WARNING)
    return NatsBroker(
        settings.nats_servers,  # every server of the cluster, for reconnecting to another
        name=settings.service_name,
        ack_policy=AckPolicy.NACK_ON_ERROR,
        max_reconnect_attempts=-1,
        reconnect_time_wait=1,
        connect_timeout=5,
        # A server that stops answering (paused, partitioned) is left for another of the
        # cluster after two unanswered pings, ~10 s, not nats-py's 2 x 120 s (decision 0034).
        ping_interval=PING_INTERVAL_SECONDS,
        max_outstanding_pings=2,
        graceful_timeout=10.0,
        logger=logger,
        log_level=logging.DEBUG,  # per-message "Received/Processed" lines are debug noise
        # Our handlers take the raw message from the context: no dependency injection, whose
        # thread-pool hops cost ~1 ms per message (measured in decision 0002).
        apply_types=False,
    )


class MessageBus:
    """The messaging side of one service: nothing connects until `start()`."""

    def __init__(
        self,
        *,
        settings: ServiceSettings,
        connection_factory: ConnectionFactory,
        clock: Clock,
    ) -> None:
        self.settings = settings
        self.namespace = settings.nats_namespace
        self.broker = make_broker(settings)
        self.connection_factory = connection_factory
        self.outbox = Outbox(producer=settings.service_name, clock=clock)
        self.relay = Relay(
            broker=self.broker,
            connection_factory=connection_factory,
            namespace=self.namespace,
            stream=stream_name(self.namespace),
        )
        self.consumers = EventConsumers(
            service=settings.service_name,
            broker=self.broker,
            namespace=self.namespace,
            uow_factory=self.uow,
            retry=RetryPolicy(
                max_attempts=settings.consumer_max_attempts,
                backoff_seconds=settings.consumer_backoff_seconds,
                outage_backoff_seconds=settings.consumer_outage_backoff_seconds,
            ),
            batch_size=settings.consumer_batch_size,
            stream_replicas=settings.stream_replicas,
            stream_max_age_seconds=settings.stream_max_age_seconds,
        )
        self.requester = Requester(
            broker=self.broker, namespace=self.namespace, timeout=settings.request_timeout_seconds
        )
        self.responders = RequestServer(
            namespace=self.namespace,
            queue=settings.service_name,
            concurrency=settings.database_pool_size,
        )
        self._sweeper: asyncio.Task[None] | None = None

    def uow(self) -> UnitOfWork:
        """A unit of work whose committed events are published right after commit."""
        return UnitOfWork(
            self.connection_factory, outbox=self.outbox, after_commit=self.relay.after_commit
        )

    def responder(
        self, subject: str, request_model: type[Req]
    ) -> Callable[[Callable[[Req], Awaitable[Rep]]], Callable[[Req], Awaitable[Rep]]]:
        """Decorate `async def handler(request) -> reply`; raise DomainError to refuse."""
        return self.responders.register(subject, request_model)

    async def start(self) -> None:
        await self.broker.start()
        await self.consumers.start()
        await self.responders.start(self.broker.connection)
        self._sweeper = asyncio.create_task(
            self.relay.run_sweeper(every_seconds=self.settings.outbox_sweep_seconds)
        )

    async def stop(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
        await self.responders.stop()
        await self.consumers.stop()
        try:
            await self.relay.drain()
        except Exception as exc:  # the database is down: the next start's sweep publishes
            log.warning("relay.drain_failed", error=describe_error(exc, limit=300))
        try:
            await self.broker.stop()
        except Exception as exc:  # a broken connection must not break shutdown
            log.warning("broker.stop_failed", error=describe_error(exc, limit=300))

    async def is_connected(self) -> bool:
        return await self.broker.ping(timeout=0.5)
