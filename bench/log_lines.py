"""Cost of the kernel's per-event log lines (`event.applied`, `event.published`), vs a raw floor.

Every applied and every published event writes one info line through the one logging setup
(structlog → stdlib → JSON, as in production). This measures, in the same run and process:

- floor: the same line written by hand (`json.dumps` of the same fields + one write);
- metrics only: what `observe.event_handled` did before the line existed (two Prometheus
  updates);
- kernel: `observe.event_handled` and `observe.event_published` with logging configured as a
  service configures it (JSON at INFO).

Output goes to /dev/null, so the figures are the rendering cost, not the terminal's.

    uv run python bench/log_lines.py [--calls 2000] [--rounds 15]
"""

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime

from stats import print_row, summary_ms

from shared.logging import LogFormat, configure
from shared.messaging import observe
from shared.messaging.metrics import EVENTS_CONSUMED, HANDLER_SECONDS

FIELDS = {
    "consumer": "packs-payment-succeeded",
    "event_type": "payment.succeeded",
    "event_id": "3cac41f5-3d82-4cce-8bb6-8b5c6ede77b4",
    "correlation_id": "e11a61ac-b99a-4e20-8bde-a97dfac2116a",
}


def per_call_samples(fn: Callable[[], None], *, calls: int, rounds: int) -> list[float]:
    """Seconds per call, one sample per round (the mean of `calls` calls)."""
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(calls):
            fn()
        samples.append((time.perf_counter() - started) / calls)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    sink = open(os.devnull, "w")  # noqa: SIM115 - open for the whole run
    sys.stderr = sink  # the logging handler writes to stderr
    configure(level="INFO", log_format=LogFormat.json)

    def floor() -> None:
        line = {
            **FIELDS,
            "duration_ms": 1.2,
            "event": "event.applied",
            "level": "info",
            "logger": "shared.messaging",
            "timestamp": datetime.now(UTC).isoformat(),
        }
        sink.write(json.dumps(line) + "\n")

    def metrics_only() -> None:
        EVENTS_CONSUMED.labels(FIELDS["consumer"], "applied").inc()
        HANDLER_SECONDS.labels(FIELDS["consumer"]).observe(0.0012)

    def applied() -> None:
        observe.event_handled(**FIELDS, seconds=0.0012, first_time=True)

    def published() -> None:
        observe.event_published(
            subject=FIELDS["event_type"],
            event_id=FIELDS["event_id"],
            correlation_id=FIELDS["correlation_id"],
        )

    # Interleaved rounds: the machine's load drifts, so each kind sees the same drift.
    results: dict[str, list[float]] = {"floor": [], "metrics": [], "applied": [], "published": []}
    for _ in range(args.rounds):
        for name, fn in (
            ("floor", floor),
            ("metrics", metrics_only),
            ("applied", applied),
            ("published", published),
        ):
            results[name] += per_call_samples(fn, calls=args.calls, rounds=1)
    sys.stderr = sys.__stderr__
    print(f"\nper-event log lines: {args.rounds} rounds of {args.calls} calls, to /dev/null\n")
    print_row("floor: json.dumps + write of the same line", results["floor"])
    print_row("metrics only (before the line existed)", results["metrics"])
    print_row("kernel: observe.event_handled (applied)", results["applied"])
    print_row("kernel: observe.event_published", results["published"])
    floor_p50 = summary_ms(results["floor"])["p50"]
    both = summary_ms(results["applied"])["p50"] + summary_ms(results["published"])["p50"]
    applied_p50 = summary_ms(results["applied"])["p50"]
    print(f"\nratio event.applied p50 / floor p50: {applied_p50 / floor_p50:.2f}x")
    print(f"both lines of one hop (applied + published): {both * 1000:.0f} µs per event")


if __name__ == "__main__":
    main()
