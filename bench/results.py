"""Figures a benchmark hands to `make bench`'s report: `record(name, figures)` appends one JSON
line to the file named by `BENCH_RESULTS` (bench/run_all.py sets it per benchmark) and does
nothing when it is unset, so a benchmark run by hand prints as before (decision 0028).

A benchmark that already prints a figure with `stats.print_row(name, samples, per_second)`
records it under the same name: `record(name, latency(samples, per_second))`. Recorded figures
win over the ones bench/report_parse.py reads back from the printed text, and add what the text
lacks: p90 and the distribution (the CDF chart)."""

import json
import os
from collections.abc import Mapping

from stats import percentile

CDF_POINTS = 101  # every percentile, 0..100


def record(name: str, figures: Mapping[str, object]) -> None:
    """Append `{"name": name, **figures}` to $BENCH_RESULTS; a no-op when it is unset."""
    path = os.environ.get("BENCH_RESULTS")
    if not path:
        return
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps({"name": name, **figures}) + "\n")


def latency(samples: list[float], per_second: float | None = None) -> dict[str, object]:
    """p50/p90/p99 and the CDF (each percentile) in ms, and the rate, of samples in seconds."""
    figures: dict[str, object] = {f"p{q}_ms": percentile(samples, q) * 1000 for q in (50, 90, 99)}
    figures["cdf_ms"] = [round(percentile(samples, q) * 1000, 4) for q in range(CDF_POINTS)]
    if per_second is not None:
        figures["per_second"] = per_second
    return figures
