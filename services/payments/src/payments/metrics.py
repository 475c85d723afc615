"""Payments' own Prometheus series (served on /metrics with the kernel's)."""

from prometheus_client import Counter

AMOUNT_MISMATCHES = Counter(
    "mentorship_payments_amount_mismatches",
    "Paid provider events whose amount or currency was not their order's (never fulfilled)",
    ["provider"],
)
DEAD_WEBHOOK_EVENTS = Counter(
    "mentorship_payments_webhook_events_dead",
    "Signed provider events that can never be applied (wrong shape), ended once",
    ["provider"],
)
