"""The one JetStream stream for domain events, and subject naming."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import TypeVar

import nats.errors
from faststream.nats import JStream
from nats.js import JetStreamContext
from nats.js.api import RetentionPolicy, StorageType, StreamConfig, StreamInfo
from nats.js.errors import APIError, NotFoundError, ServiceUnavailableError

from shared.logging import get_logger
from shared.messaging.events import EVENTS
from shared.settings import EVENT_RETENTION_SECONDS

DEDUPE_WINDOW_SECONDS = 120.0
RETENTION_SECONDS = EVENT_RETENTION_SECONDS
STREAM_NAME_IN_USE = 10058  # JetStream's code: created meanwhile, with another configuration

# How long a service's start asks JetStream again while it does not answer in time (a cluster
# electing leaders, many streams and consumers created at once on a busy machine).
BUSY_SECONDS = 60.0
JETSTREAM_BUSY = (nats.errors.TimeoutError, ServiceUnavailableError)

T = TypeVar("T")

log = get_logger(__name__)


async def while_busy(call: Callable[[], Awaitable[T]], *, what: str) -> T:
    """`call()`, asked again every half second for `BUSY_SECONDS` while JetStream times out
    or says it is unavailable; then its error."""
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        try:
            return await call()
        except JETSTREAM_BUSY as exc:
            if time.monotonic() > deadline:
                raise
            log.info("jetstream.busy_retried", what=what, error=exc.__class__.__name__)
            await asyncio.sleep(0.5)


class StreamConfigError(RuntimeError):
    """The stream cannot have the configuration the settings ask for; the message says why."""


def stream_name(namespace: str) -> str:
    return f"{namespace.upper()}_EVENTS" if namespace else "EVENTS"


def subject_for(namespace: str, event_type: str) -> str:
    return f"{namespace}.{event_type}" if namespace else event_type


def domain_stream(
    namespace: str, *, replicas: int = 1, max_age_seconds: float = RETENTION_SECONDS
) -> JStream:
    """Every aggregate's facts land here (declared by `declare_domain_stream`)."""
    aggregates = sorted({event_type.split(".", 1)[0] for event_type in EVENTS})
    return JStream(
        name=stream_name(namespace),
        subjects=[subject_for(namespace, f"{aggregate}.>") for aggregate in aggregates],
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        max_age=max_age_seconds,
        duplicate_window=DEDUPE_WINDOW_SECONDS,
        num_replicas=replicas,
    )


async def declare_domain_stream(
    jetstream: JetStreamContext,
    namespace: str,
    *,
    replicas: int = 1,
    max_age_seconds: float = RETENTION_SECONDS,
) -> None:
    """Create the domain stream, or bring an existing one to these replicas and age limit,
    widened to every aggregate's subjects (its own extra subjects kept).

    StreamConfigError when the servers cannot hold that many replicas (decision 0034).
    """
    stream = domain_stream(namespace, replicas=replicas, max_age_seconds=max_age_seconds)
    config = replace(stream.config, subjects=list(stream.subjects))
    name = config.name or ""
    try:
        info: StreamInfo | None = await jetstream.stream_info(name)
    except NotFoundError:
        info = None
    if info is None:
        try:
            await jetstream.add_stream(config)
            await _check_replicas(jetstream, name, replicas)
            return
        except APIError as exc:
            if exc.err_code != STREAM_NAME_IN_USE:  # another replica created it first
                raise _refused(name, replicas, exc) from exc
        info = await jetstream.stream_info(name)
    existing = info.config
    config.subjects = sorted({*(config.subjects or ()), *(existing.subjects or ())})
    if _same(existing, config):
        return
    if replicas > 1 and info.cluster is None:  # asked before any change: nothing to undo
        raise _not_a_cluster(name, replicas)
    try:
        await jetstream.update_stream(config)
    except APIError as exc:
        raise _refused(name, replicas, exc) from exc
    await _check_replicas(jetstream, name, replicas)
    if (existing.num_replicas or 1) != replicas:
        log.warning(
            "stream.replicas_changed", stream=name, before=existing.num_replicas, after=replicas
        )


async def ensure_replicas(jetstream: JetStreamContext, name: str, replicas: int) -> None:
    """Bring an existing stream (a KV bucket's too) to `replicas`, or StreamConfigError."""
    info = await jetstream.stream_info(name)
    config = info.config
    if (config.num_replicas or 1) == replicas:
        return
    if replicas > 1 and info.cluster is None:
        raise _not_a_cluster(name, replicas)
    before, config.num_replicas = config.num_replicas, replicas
    try:
        await jetstream.update_stream(config)
    except APIError as exc:
        raise _refused(name, replicas, exc) from exc
    await _check_replicas(jetstream, name, replicas)
    log.warning("stream.replicas_changed", stream=name, before=before, after=replicas)


def _same(existing: StreamConfig, wanted: StreamConfig) -> bool:
    return (
        sorted(existing.subjects or ()) == sorted(wanted.subjects or ())
        and (existing.num_replicas or 1) == wanted.num_replicas
        and existing.max_age == wanted.max_age
    )


async def _check_replicas(jetstream: JetStreamContext, name: str, replicas: int) -> None:
    """A standalone server may take an R3 stream and keep one copy (NATS 2.9 does, without
    a word): refuse that instead of promising copies nobody keeps."""
    info = await jetstream.stream_info(name)
    kept = info.config.num_replicas or 1
    if kept != replicas or (replicas > 1 and info.cluster is None):
        raise _not_a_cluster(name, replicas)


def _not_a_cluster(name: str, replicas: int) -> StreamConfigError:
    return StreamConfigError(
        f"stream {name} cannot have {replicas} replicas here: this NATS is not a cluster of "
        "that many JetStream servers (set <SERVICE>_STREAM_REPLICAS to at most their number)"
    )


def _refused(name: str, replicas: int, exc: APIError) -> StreamConfigError:
    return StreamConfigError(
        f"NATS refused stream {name} with {replicas} replica(s): {exc.description} "
        f"(code {exc.err_code}); <SERVICE>_STREAM_REPLICAS must be at most the number of "
        "JetStream servers of the cluster"
    )
