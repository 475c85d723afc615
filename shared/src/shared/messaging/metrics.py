"""Prometheus metrics of the messaging kernel."""

from prometheus_client import Counter, Histogram

EVENTS_PUBLISHED = Counter(
    "events_published_total", "Events published from the outbox", ["subject"]
)
EVENTS_CONSUMED = Counter(
    "events_consumed_total",
    "Events handled by a consumer, by outcome",
    ["consumer", "outcome"],
)
HANDLER_SECONDS = Histogram("event_handler_seconds", "Time spent handling one event", ["consumer"])
REQUESTS_SERVED = Counter(
    "requests_served_total", "Request-reply requests answered", ["subject", "outcome"]
)
