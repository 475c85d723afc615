"""One durable pull consumer's loop: fetch the messages that are ready, hand them over, repeat."""

import asyncio
from collections.abc import Awaitable, Callable

from nats.aio.msg import Msg
from nats.errors import ConnectionClosedError
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy

from shared.logging import get_logger
from shared.messaging.failures import describe_error
from shared.messaging.stream import while_busy

log = get_logger(__name__)

Receive = Callable[[list[Msg]], Awaitable[None]]

ACK_WAIT_SECONDS = 30.0


def consumer_config(durable: str, subject: str) -> ConsumerConfig:
    return ConsumerConfig(
        durable_name=durable,
        filter_subject=subject,
        deliver_policy=DeliverPolicy.ALL,
        ack_wait=ACK_WAIT_SECONDS,
        # No ceiling: JetStream would drop a message silently past it. Handler failures are
        # dead-lettered by the kernel at `max_attempts`; infrastructure failures wait for the
        # database to come back.
        max_deliver=-1,
    )


class PullLoop:
    """Pulls up to `batch_size` messages at a time and awaits `receive` before the next pull,
    so one consumer of one process applies its messages in delivery order.

    A quiet consumer waits in a pull for one message (it returns the moment one arrives); a
    busy one (its last pull brought several, or said more were pending) pulls whatever is
    ready up to `batch_size` (nats-py sends it as `no_wait` with an expiry, so it never
    waits for a full batch). No timer adds latency, and a busy consumer takes what piled up
    while it was applying the last batch.
    """

    def __init__(
        self,
        *,
        jetstream: JetStreamContext,
        stream: str,
        subject: str,
        durable: str,
        batch_size: int,
        receive: Receive,
        wait_seconds: float = 5.0,
    ) -> None:
        self.durable = durable
        self._jetstream = jetstream
        self._stream = stream
        self._subject = subject
        self._batch_size = batch_size
        self._receive = receive
        self._wait_seconds = wait_seconds
        self._subscription: JetStreamContext.PullSubscription | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._waiting = False
        self._busy = False

    async def start(self) -> None:
        self._subscription = await self._subscribe()
        self._task = asyncio.create_task(self._run(self._subscription), name=self.durable)

    async def _subscribe(self) -> JetStreamContext.PullSubscription:
        """Create or bind the durable consumer, asked again while a cluster elects its leader
        (a fresh one, or many consumers created at once)."""
        return await while_busy(
            lambda: self._jetstream.pull_subscribe(
                self._subject,
                durable=self.durable,
                stream=self._stream,
                config=consumer_config(self.durable, self._subject),
            ),
            what=f"consumer {self.durable}",
        )

    async def stop(self, *, grace_seconds: float) -> None:
        """Stop pulling; messages being applied get `grace_seconds` to finish (else they are
        redelivered after the ack wait, and the inbox keeps their effects once)."""
        self._stopping = True
        if self._task is not None:
            if self._waiting:
                self._task.cancel()
            _, late = await asyncio.wait({self._task}, timeout=grace_seconds)
            for task in late:
                task.cancel()
        if self._subscription is not None:
            try:
                await self._subscription.unsubscribe()
            except Exception as exc:  # NATS is gone: the server forgets the pull on its own
                log.debug("consumer.unsubscribe_failed", consumer=self.durable, error=repr(exc))

    async def _run(self, subscription: JetStreamContext.PullSubscription) -> None:
        while not self._stopping:
            self._waiting = True
            # A pull for one message costs no wait for the "no more" status that ends a batch.
            batch = self._batch_size if self._busy else 1
            try:
                messages = await subscription.fetch(batch, timeout=self._wait_seconds)
            except TimeoutError:  # nothing arrived while waiting: pull again
                self._busy = False
                continue
            except ConnectionClosedError:  # the broker is stopping, or about to reconnect
                await asyncio.sleep(1.0)
                continue
            except Exception as exc:  # NATS restarting or unreachable: nats-py reconnects
                log.warning(
                    "consumer.pull_failed", consumer=self.durable, error=describe_error(exc)
                )
                await asyncio.sleep(1.0)
                continue
            finally:
                self._waiting = False
            if not messages:
                continue
            self._busy = len(messages) > 1 or messages[-1].metadata.num_pending > 0
            try:
                await self._receive(messages)
            except Exception as exc:  # a kernel bug: unacked, the messages come back later
                log.error(
                    "consumer.receive_failed", consumer=self.durable, error=describe_error(exc)
                )
