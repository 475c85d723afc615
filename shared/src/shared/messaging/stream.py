"""The one JetStream stream for domain events, and subject naming."""

from faststream.nats import JStream
from nats.js.api import RetentionPolicy, StorageType

from shared.messaging.events import EVENTS

DEDUPE_WINDOW_SECONDS = 120.0
RETENTION_SECONDS = 7 * 24 * 3600.0


def stream_name(namespace: str) -> str:
    return f"{namespace.upper()}_EVENTS" if namespace else "EVENTS"


def subject_for(namespace: str, event_type: str) -> str:
    return f"{namespace}.{event_type}" if namespace else event_type


def domain_stream(namespace: str) -> JStream:
    """Declared once per process by FastStream; every aggregate's facts land here."""
    aggregates = sorted({event_type.split(".", 1)[0] for event_type in EVENTS})
    return JStream(
        name=stream_name(namespace),
        subjects=[subject_for(namespace, f"{aggregate}.>") for aggregate in aggregates],
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        max_age=RETENTION_SECONDS,
        duplicate_window=DEDUPE_WINDOW_SECONDS,
    )
