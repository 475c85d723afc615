"""`make bench`: every benchmark under bench/, one after the other, at sizes that fit about
ten minutes on this 2-core machine, then bench/REPORT.md (bench/report.py). Decision 0028.

Run it under the benchmark lock (the Makefile does): `flock /tmp/bench.lock uv run --no-sync
python bench/run_all.py [--label "trial run"] [--only http_stack event_hop]`. Each benchmark's
output, its recorded figures (bench/results.py, through BENCH_RESULTS) and run.json go to
--out; /proc/loadavg is printed before and after each benchmark and kept for the report."""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
# Every runnable benchmark and the sizes `make bench` gives it (the defaults are for a
# benchmark run on its own). Each still measures its floor in the same run.
BENCHMARKS: dict[str, list[str]] = {
    "http_stack": ["--requests", "16000", "--connections", "32", "--rounds", "4"],
    "payments_webhooks": ["--requests", "1600", "--callers", "32", "--rounds", "4"],
    "booking_sessions": ["--bookings", "768", "--students", "32", "--rounds", "4"],
    "video_tokens": ["--requests", "1600", "--callers", "32", "--rounds", "4"],
    "search_directory": ["--mentors", "10000", "--queries", "800", "--rounds", "4"],
    "booking_availability": ["--calls", "1000", "--requests", "600"],
    "event_hop": ["--samples", "300", "--burst", "2000"],
    "notifications_fanout": ["--events", "100", "--rounds", "4", "--concurrency", "8"],
    "gateway_latency": ["--requests", "1200", "--callers", "1", "--rounds", "4"],
    "packs_reserve": ["--requests", "1536", "--callers", "16", "--rounds", "4"],
    "log_lines": ["--calls", "2000", "--rounds", "5"],
    "limits_overhead": ["--requests", "1000", "--rounds", "3"],
    "faults": ["--outage", "5", "--rate", "20"],
    "consumer_batches": ["--events", "2000", "--sizes", "1,10,50,200"],
    "load_mix": [
        "--clients", "50,200", "--seconds", "20", "--warmup", "3", "--ahead", "24",
    ],
    "scale_out": [
        "--replicas", "1,2", "--clients", "30", "--seconds", "10", "--students", "40",
        "--mentors", "4", "--ahead", "8",
    ],
}  # fmt: skip
# Modules under bench/ that are not benchmarks: servers, clients, seeds and checks they share.
HELPERS = {
    "bare_app", "event_hop_floors", "harness", "load_checks", "load_client",
    "payments_fixtures", "raw_http", "report", "report_charts", "report_parse", "report_rows",
    "results", "run_all", "stats",
}  # fmt: skip
TIMEOUT = 360  # seconds for one benchmark; a stuck one must not hold the lock for ever


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def unlisted() -> list[str]:
    """Python files under bench/ that are neither a listed benchmark nor a helper."""
    names = {path.stem for path in BENCH.glob("*.py")}
    return sorted(names - set(BENCHMARKS) - HELPERS)


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()


def shorten(text: str, most: int = 72) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def machine() -> dict[str, str | int]:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor() or "unknown CPU",
    )  # fmt: skip
    kib = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )  # fmt: skip
    return {"cores": os.cpu_count() or 0, "cpu": cpu, "memory": f"{kib / 1024**2:.1f} GiB"}


def run_one(name: str, out: Path) -> dict[str, object]:
    """Run bench/<name>.py with its sizes; its output to <name>.out, its figures to .jsonl."""
    args = BENCHMARKS[name]
    records = out / f"{name}.jsonl"
    records.unlink(missing_ok=True)
    before = loadavg()
    print(f"\n=== {name} {' '.join(args)}\n    loadavg before: {before}", flush=True)
    started = time.monotonic()
    environment = {**os.environ, "BENCH_RESULTS": str(records), "PYTHONUNBUFFERED": "1"}
    with (out / f"{name}.out").open("w", encoding="utf-8") as output:
        try:
            status: int | str = subprocess.run(
                [sys.executable, str(BENCH / f"{name}.py"), *args],
                cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT,
                timeout=TIMEOUT,
            ).returncode  # fmt: skip
        except subprocess.TimeoutExpired:
            status = f"timed out after {TIMEOUT} s"
    seconds = time.monotonic() - started
    after = loadavg()
    print(f"    exit {status} in {seconds:.0f} s; loadavg after: {after}", flush=True)
    if status != 0:
        tail = (out / f"{name}.out").read_text(encoding="utf-8").splitlines()[-8:]
        print("    " + "\n    ".join(tail), flush=True)
    return {
        "name": name, "args": args, "status": status, "seconds": seconds,
        "loadavg_before": before, "loadavg_after": after,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default="run", help='e.g. "trial run"; heads the report')
    parser.add_argument("--only", nargs="+", choices=list(BENCHMARKS), metavar="BENCHMARK")
    parser.add_argument("--out", type=Path, default=Path("/tmp/bench-run"))
    parser.add_argument("--report", type=Path, default=BENCH / "REPORT.md")
    args = parser.parse_args()
    if missing := unlisted():
        print(f"note: not run, no sizes in bench/run_all.py: {', '.join(missing)}")
    args.out.mkdir(parents=True, exist_ok=True)
    dirty = len(git("status", "--porcelain", "--untracked-files=no").splitlines())
    meta: dict[str, object] = {
        "label": args.label,
        "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
        "commit": shorten(git("log", "-1", "--format=%h %s")),
        "dirty": f"+ uncommitted changes in {dirty} tracked files" if dirty else "",
        "machine": machine(),
        "loadavg_before": loadavg(),
    }
    began = time.monotonic()
    results = [run_one(name, args.out) for name in (args.only or BENCHMARKS)]
    meta |= {
        "finished": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
        "seconds": time.monotonic() - began,
        "loadavg_after": loadavg(),
        "benchmarks": results,
    }
    (args.out / "run.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    from report import build  # matplotlib only once the benchmarks are done

    print(f"\nwrote {build(args.out, args.report)} (outputs in {args.out})")
    failed = [str(r["name"]) for r in results if r["status"] != 0]
    if failed:
        print(f"failed: {', '.join(failed)}")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
