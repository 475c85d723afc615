"""Which consumers keep failing: shown in `/readyz` details and as a gauge."""

import time
from dataclasses import dataclass

from prometheus_client import Gauge

CONSECUTIVE_FAILURES = Gauge(
    "mentorship_consumer_consecutive_failures",
    "Deliveries in a row a consumer failed to apply (0 once one applies)",
    ["consumer"],
)

FAILING_AFTER = 3
"""Consecutive failed deliveries after which a consumer is reported as failing."""


@dataclass
class _State:
    failures: int = 0
    last_error: str = ""
    last_failed_at: float = 0.0


class ConsumerHealth:
    """Counts failed deliveries in a row per consumer; one success resets the count."""

    def __init__(self) -> None:
        self._states: dict[str, _State] = {}

    def succeeded(self, consumer: str) -> None:
        state = self._states.get(consumer)
        if state is not None and state.failures:
            state.failures = 0
            CONSECUTIVE_FAILURES.labels(consumer).set(0)

    def failed(self, consumer: str, error: str) -> None:
        state = self._states.setdefault(consumer, _State())
        state.failures += 1
        state.last_error = error
        state.last_failed_at = time.monotonic()
        CONSECUTIVE_FAILURES.labels(consumer).set(state.failures)

    def failing(self) -> dict[str, dict[str, object]]:
        """Consumers with at least `FAILING_AFTER` failures in a row, with their last error."""
        now = time.monotonic()
        return {
            name: {
                "consecutive_failures": state.failures,
                "last_error": state.last_error,
                "seconds_since_last_failure": round(now - state.last_failed_at, 1),
            }
            for name, state in sorted(self._states.items())
            if state.failures >= FAILING_AFTER
        }
