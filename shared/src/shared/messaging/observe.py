"""What each messaging step reports: one log line a person can follow, and its metrics."""

from shared.logging import get_logger
from shared.messaging.metrics import EVENTS_CONSUMED, EVENTS_PUBLISHED, HANDLER_SECONDS

log = get_logger("shared.messaging")


def event_handled(
    *, consumer: str, event_type: str, event_id: str, correlation_id: str, seconds: float,
    first_time: bool,
) -> None:  # fmt: skip
    """An event went through a consumer: applied, or skipped as a duplicate by the inbox."""
    outcome = "applied" if first_time else "duplicate"
    EVENTS_CONSUMED.labels(consumer, outcome).inc()
    HANDLER_SECONDS.labels(consumer).observe(seconds)
    log.info(
        f"event.{outcome}",
        consumer=consumer,
        event_type=event_type,
        event_id=event_id,
        correlation_id=correlation_id,
        duration_ms=round(seconds * 1000, 1),
    )


def event_published(*, subject: str, event_id: str, correlation_id: str) -> None:
    """An outbox row reached JetStream."""
    EVENTS_PUBLISHED.labels(subject=subject).inc()
    log.info(
        "event.published",
        event_type=subject,
        event_id=event_id,
        correlation_id=correlation_id,
    )
