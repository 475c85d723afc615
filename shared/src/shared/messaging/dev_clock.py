"""The dev clock's one offset, shared by every service of a deployment through a NATS KV key.

Each process keeps the offset in its `OffsetClock` (so `now()` stays a subtraction) and
follows the key with a watcher; a periodic read catches an update a reconnect made it miss.
"""

import asyncio
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import nats.errors
import nats.js.errors
from nats.aio.client import Client as NatsClient
from nats.js.api import KeyValueConfig, StorageType
from nats.js.kv import KeyValue

from shared import logging as shared_logging
from shared.clock import MAX_OFFSET, OffsetClock, format_offset
from shared.logging import get_logger
from shared.messaging.failures import describe_error
from shared.messaging.stream import StreamConfigError, ensure_replicas, while_busy

OFFSET_KEY = "offset_seconds"
MOVE_ATTEMPTS = 10
STOP_SECONDS = 2.0

log = get_logger(__name__)


def bucket_name(namespace: str) -> str:
    """Namespaced like the event stream, so test runs and deployments do not share a clock."""
    return f"{namespace.upper()}_DEV_CLOCK" if namespace else "DEV_CLOCK"


class OffsetOutOfRange(ValueError):
    """The move would put the clock more than `MAX_OFFSET` away from real time."""


@dataclass(frozen=True)
class ClockReading:
    """What the dev clock says in this process; `revision` is the KV revision it applies."""

    offset: timedelta
    revision: int
    now: datetime
    real_now: datetime


def encode(offset: timedelta) -> bytes:
    return f"{offset.total_seconds():.3f}".encode()


def decode(value: bytes | None) -> timedelta:
    """The offset a KV value holds; ValueError for anything but a finite number in range."""
    seconds = float((value or b"0").decode())
    if not math.isfinite(seconds) or abs(seconds) > MAX_OFFSET.total_seconds():
        raise ValueError(f"offset {seconds!r} out of range")
    return timedelta(seconds=seconds)


async def open_bucket(connection: NatsClient, namespace: str, *, replicas: int = 1) -> KeyValue:
    """The deployment's clock bucket, created on first use (same config from every service),
    with as many replicas as the domain stream; an existing one is brought to that number."""
    js = connection.jetstream()
    name = bucket_name(namespace)
    try:
        bucket = await js.key_value(name)
    except nats.js.errors.BucketNotFoundError:
        config = KeyValueConfig(bucket=name, history=5, storage=StorageType.FILE, replicas=replicas)
        try:
            bucket = await js.create_key_value(config)
        except nats.js.errors.APIError as exc:
            raise StreamConfigError(
                f"NATS refused the dev clock's bucket {name} with {replicas} replica(s): "
                f"{exc.description} (code {exc.err_code})"
            ) from exc
    try:
        await ensure_replicas(js, f"KV_{name}", replicas)
    except nats.js.errors.NotFoundError as exc:
        # Just created on a new cluster, the bucket's stream is not yet known to the server
        # asked (seen in CI at start-up): JetStream is busy, and `while_busy` asks again.
        raise nats.js.errors.ServiceUnavailableError() from exc
    return bucket


class DevClockSync:
    """Moves `clock.offset` whenever the shared key changes, and calls `on_change` then."""

    def __init__(
        self,
        *,
        clock: OffsetClock,
        namespace: str,
        on_change: Callable[[], None],
        poll_seconds: float = 5.0,
        replicas: int = 1,
    ) -> None:
        self.clock = clock
        self.namespace = namespace
        self.replicas = replicas
        self.revision = 0
        self._on_change = on_change
        self._poll_seconds = poll_seconds
        self._kv: KeyValue | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self, connection: NatsClient) -> None:
        """Read the offset before the first request is served, then follow it."""
        self._kv = await while_busy(
            lambda: open_bucket(connection, self.namespace, replicas=self.replicas),
            what="the dev clock bucket",
        )
        await while_busy(self._reload, what="the dev clock")
        # Subscribed here, not in the task: a stop right after start never cancels a watch
        # half set up (nats-py then waits on it for good).
        kv = self._kv
        watcher = await while_busy(lambda: kv.watch(OFFSET_KEY), what="the dev clock watch")
        self._task = asyncio.create_task(self._follow(watcher))

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.wait({self._task}, timeout=STOP_SECONDS)
            self._task = None
        shared_logging.set_clock_offset(None)

    def reading(self) -> ClockReading:
        real_now = datetime.now(UTC)
        offset = self.clock.offset
        return ClockReading(
            offset=offset, revision=self.revision, now=real_now + offset, real_now=real_now
        )

    async def move(self, change: Callable[[timedelta], timedelta]) -> ClockReading:
        """Apply `change` to the shared offset (compare-and-set), here at once, everywhere soon."""
        kv = self._bucket()
        for _ in range(MOVE_ATTEMPTS):
            try:
                entry = await kv.get(OFFSET_KEY)
                current, last = decode(entry.value), entry.revision or 0
            except nats.js.errors.KeyNotFoundError:
                current, last = timedelta(0), 0
            new = change(current)
            if abs(new) > MAX_OFFSET:
                raise OffsetOutOfRange(
                    f"the clock would be {format_offset(new)} from real time; "
                    f"at most {MAX_OFFSET.days} days either way"
                )
            try:
                revision = await kv.update(OFFSET_KEY, encode(new), last=last)
            except nats.js.errors.KeyWrongLastSequenceError:
                continue  # another move landed first: apply ours on top of it
            self._apply(new, revision)
            return self.reading()
        raise RuntimeError(f"the clock kept moving under us ({MOVE_ATTEMPTS} attempts)")

    def _bucket(self) -> KeyValue:
        if self._kv is None:
            raise RuntimeError("the dev clock is not started")
        return self._kv

    def _apply(self, offset: timedelta, revision: int) -> None:
        if revision <= self.revision:
            return
        moved = offset != self.clock.offset
        self.clock.offset, self.revision = offset, revision
        shared_logging.set_clock_offset(format_offset(offset) if offset else None)
        if moved:
            log.info("dev_clock.moved", offset=format_offset(offset), revision=revision)
            self._on_change()

    def _apply_value(self, value: bytes | None, revision: int) -> None:
        try:
            offset = decode(value)
        except ValueError as exc:
            log.warning("dev_clock.bad_value", revision=revision, error=str(exc))
            return
        self._apply(offset, revision)

    async def _reload(self) -> None:
        try:
            entry = await self._bucket().get(OFFSET_KEY)
        except nats.js.errors.KeyNotFoundError:
            return
        self._apply_value(entry.value, entry.revision or 0)

    async def _follow(self, watcher: KeyValue.KeyWatcher | None) -> None:
        while True:
            try:
                if watcher is None:
                    watcher = await self._bucket().watch(OFFSET_KEY)
                await self._watch(watcher)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # NATS away: say so, then watch again once it is back
                log.warning("dev_clock.watch_failed", error=describe_error(exc, limit=300))
                await asyncio.sleep(1.0)
            watcher = None

    async def _watch(self, watcher: KeyValue.KeyWatcher) -> None:
        try:
            while True:
                try:
                    entry = await watcher.updates(timeout=self._poll_seconds)  # type: ignore[no-untyped-call]
                except nats.errors.TimeoutError:
                    await self._reload()  # an update a reconnect made the watcher miss
                    continue
                if isinstance(entry, KeyValue.Entry):
                    self._apply_value(entry.value, entry.revision or 0)
        finally:
            try:
                await asyncio.wait_for(watcher.stop(), STOP_SECONDS)  # type: ignore[no-untyped-call]
            except Exception as exc:
                log.debug("dev_clock.watcher_stop_failed", error=repr(exc))
