"""Prometheus metrics of the messaging kernel; every name starts with `mentorship_`."""

from prometheus_client import Counter, Histogram

EVENTS_PUBLISHED = Counter(
    "mentorship_events_published_total", "Events published from the outbox", ["subject"]
)
EVENTS_CONSUMED = Counter(
    "mentorship_events_consumed_total",
    "Events handled by a consumer, by outcome",
    ["consumer", "outcome"],
)
HANDLER_SECONDS = Histogram(
    "mentorship_event_handler_seconds", "Time spent handling one event", ["consumer"]
)
REQUESTS_SERVED = Counter(
    "mentorship_requests_served_total", "Request-reply requests answered", ["subject", "outcome"]
)
