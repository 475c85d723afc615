"""The figures of one benchmark run, read back for bench/report.py: what the benchmark
recorded (bench/results.py, JSON lines) over what it printed (its stdout, parsed here).

Figures are keyed by the name the benchmark prints them under (`stats.print_row`'s first
column, or a name given below for the lines of another shape); each is a dict of `p50_ms`,
`p90_ms`, `p99_ms`, `per_second` and `cdf_ms`, whichever are known."""

import json
import re
from pathlib import Path

Figures = dict[str, dict[str, object]]

NUMBER = r"[-\d.,]+"
# stats.print_row: "name   p50   1.234 ms  p99   5.678 ms        1234/s"
PRINT_ROW = re.compile(
    rf"^(?P<name>\S.*?)\s+p50\s+(?P<p50>{NUMBER}) (?P<unit>ms|us|µs)\s+p99\s+(?P<p99>{NUMBER})"
    rf" (?:ms|us|µs)(?:\s+(?P<rate>{NUMBER})/s)?"
)
# bench/http_stack.py: "name   1234 req/s  p50 1.234 ms  p99 5.678 ms  p99/p50 4.60"
HTTP_STACK = re.compile(
    rf"^(?P<name>\S.*?)\s+(?P<rate>{NUMBER}) req/s\s+p50\s+(?P<p50>{NUMBER}) ms"
    rf"\s+p99\s+(?P<p99>{NUMBER}) ms"
)
# bench/search_directory.py: "indexing: 30000 events in 12.3 s from service start = 2,439 events/s"
INDEXING = re.compile(rf"^indexing: .*= (?P<rate>{NUMBER}) events/s")
# bench/notifications_fanout.py: "service     800 mails  median     95 mails/s  overall  93/s"
FANOUT = re.compile(
    rf"^(?P<name>floor|service)\s+\d+ mails\s+median\s+(?P<rate>{NUMBER}) mails/s"
    rf"\s+overall\s+(?P<overall>{NUMBER})/s"
)
# bench/load_mix.py: "== 50 clients: 20.0 s, ... -> 47.7 req/s served (...); served p50 80 ms
# p99 900 ms ..."
LOAD_PHASE = re.compile(
    rf"^== (?P<name>\d+ clients): .*-> (?P<rate>{NUMBER}) req/s served .*"
    rf"served p50 (?P<p50>{NUMBER}|nan) ms p99 (?P<p99>{NUMBER}|nan) ms"
)
# bench/consumer_batches.py: "consumer_batch_size   50:     1234 events/s  (4.2x)"
BATCH_SIZE = re.compile(rf"^consumer_batch_size\s+(?P<size>\d+):\s+(?P<rate>{NUMBER}) events/s")
TO_MS = {"ms": 1.0, "us": 0.001, "µs": 0.001}


def number(text: str) -> float:
    return float(text.replace(",", ""))


def parse_output(text: str) -> Figures:
    """The figures a benchmark printed, by name (lines of no known shape are skipped)."""
    figures: Figures = {}
    for line in text.splitlines():
        line = line.strip()
        if match := HTTP_STACK.match(line):
            figures[match["name"]] = {
                "per_second": number(match["rate"]),
                "p50_ms": number(match["p50"]),
                "p99_ms": number(match["p99"]),
            }
        elif match := LOAD_PHASE.match(line):
            figures[match["name"]] = {
                "per_second": number(match["rate"]),
                "p50_ms": float(match["p50"].replace(",", "")),
                "p99_ms": float(match["p99"].replace(",", "")),
            }
        elif match := PRINT_ROW.match(line):
            scale = TO_MS[match["unit"]]
            row: dict[str, object] = {
                "p50_ms": number(match["p50"]) * scale,
                "p99_ms": number(match["p99"]) * scale,
            }
            if match["rate"]:
                row["per_second"] = number(match["rate"])
            figures[match["name"]] = row
        elif match := INDEXING.match(line):
            figures["indexing"] = {"per_second": number(match["rate"])}
        elif match := FANOUT.match(line):
            figures[f"{match['name']} mails/s"] = {
                "per_second": number(match["rate"]),
                "overall_per_second": number(match["overall"]),
            }
        elif match := BATCH_SIZE.match(line):
            figures[f"consumer_batch_size {match['size']}"] = {"per_second": number(match["rate"])}
    return figures


def read_records(path: Path) -> Figures:
    """What a benchmark recorded through bench/results.py (later lines win)."""
    figures: Figures = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                entry = json.loads(line)
                figures.setdefault(entry.pop("name"), {}).update(entry)
    return figures


def benchmark_figures(output: Path, records: Path) -> Figures:
    """Printed figures, each completed and overridden by the recorded one of the same name."""
    figures = parse_output(output.read_text(encoding="utf-8")) if output.exists() else {}
    for name, recorded in read_records(records).items():
        figures.setdefault(name, {}).update(recorded)
    return figures
