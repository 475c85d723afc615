"""`make bench`'s report builder on recorded figures, without running a benchmark or a server:
the table holds each path against its floor and target, a missed target asks what cost
remains, a failed benchmark reads as not measured, recorded figures win over printed ones, and
the charts are written as PNG files."""

import contextlib
import io
import json
import sys
from pathlib import Path

import pytest

from mentorship.services import repo_root

sys.path.insert(0, str(repo_root() / "bench"))
import report  # noqa: E402
import report_parse  # noqa: E402
import report_rows  # noqa: E402
import results  # noqa: E402
import run_all  # noqa: E402
import stats  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"


def printed(*rows: tuple[str, list[float], float | None], extra: str = "") -> str:
    """What a benchmark prints for `rows`, through the benchmarks' own `stats.print_row`."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for name, samples, rate in rows:
            stats.print_row(name, samples, rate)
    return out.getvalue() + extra


def ms(*values: float) -> list[float]:
    return [v / 1000 for v in values]


OUTPUTS = {
    "http_stack": (
        "packs on kernel                          5200 req/s  p50   5.000 ms  p99  12.000 ms"
        "  p99/p50  2.40\n"
        "bare FastAPI, uvloop + httptools         8000 req/s  p50   3.000 ms  p99   7.000 ms"
        "  p99/p50  2.33\n"
    ),
    "booking_sessions": printed(
        ("floor: nats-py reserve + asyncpg insert+outbox", ms(50, 60, 70), 400.0),
        ("POST /v1/sessions (service, ASGI)", ms(150, 200, 320), 100.0),
    ),
    "search_directory": printed(
        ("floor: same SQL on one asyncpg connection", ms(4, 4, 5), None),
        ("GET /v1/mentors/search over HTTP (uvicorn)", ms(7, 7, 9), None),
        extra="indexing: 30000 events in 10.0 s from service start = 3,000 events/s (target)\n",
    ),
    "notifications_fanout": (
        "floor       400 mails  median     200 mails/s  overall     190/s  rounds [200, 200]\n"
        "service     400 mails  median     120 mails/s  overall     110/s  rounds [120, 120]\n"
    ),
    "load_mix": (
        "== 50 clients: 20.0 s, 1200 answered, 1000 served -> 50.0 req/s served (60.0 answered);"
        " served p50 600 ms p99 2900 ms; 429: 0, 503: 40 (without Retry-After: 0); client CPU 3 s\n"
        "== 200 clients: 20.0 s, 2000 answered, 900 served -> 45.0 req/s served (100.0 answered);"
        " served p50 800 ms p99 4700 ms; 429: 0, 503: 900 (without Retry-After: 0); client CPU 4\n"
    ),
    "consumer_batches": (
        "consumer_batch_size   10:     1500 events/s  (5.0x)\n"
        "consumer_batch_size    1:      300 events/s  (1.0x)\n"
    ),
    "video_tokens": "Traceback (most recent call last):\nRuntimeError: port in use\n",
}


def write_run(directory: Path, *, failed: tuple[str, ...] = ("video_tokens",)) -> Path:
    directory.mkdir()
    entries = []
    for name, text in OUTPUTS.items():
        (directory / f"{name}.out").write_text(text, encoding="utf-8")
        entries.append({
            "name": name, "args": run_all.BENCHMARKS[name], "status": 1 if name in failed else 0,
            "seconds": 30.0, "loadavg_before": "0.50 0.40 0.30", "loadavg_after": "1.50 0.60 0.35",
        })  # fmt: skip
    meta = {
        "label": "test run", "started": "2026-12-04 05:00", "finished": "2026-12-04 05:10",
        "seconds": 600.0, "commit": "abc1234 a commit", "dirty": "",
        "machine": {"cores": 2, "cpu": "Some CPU", "memory": "7.7 GiB"},
        "loadavg_before": "0.50 0.40 0.30", "loadavg_after": "1.50 0.60 0.35",
        "benchmarks": entries,
    }  # fmt: skip
    (directory / "run.json").write_text(json.dumps(meta), encoding="utf-8")
    return directory


def row(text: str, path: str) -> list[str]:
    """The cells of the table row whose path starts with `path`."""
    line = next(line for line in text.splitlines() if line.startswith(f"| {path}"))
    return [cell.strip() for cell in line.strip("|").split("|")]


def built(tmp_path: Path) -> str:
    run = write_run(tmp_path / "run")
    return report.build(run, tmp_path / "out" / "REPORT.md").read_text(encoding="utf-8")


def test_a_met_target_reads_yes_with_its_ratio_to_the_same_run_floor(tmp_path: Path) -> None:
    text = built(tmp_path)

    assert row(text, "HTTP stack") == [
        "HTTP stack: packs `/healthz`, 32 connections", "5,200/s, p99 12.0 ms", "8,000/s", "65%",
        "≥ 60% of bare FastAPI + uvloop; p99 ≤ 3× p50", "yes",
    ]  # fmt: skip
    assert row(text, "search query")[1:4] == ["p50 7.00 ms", "p50 4.00 ms", "1.75×"]
    assert row(text, "search query")[-1] == "yes"
    assert (
        row(text, "search indexing")[1] == "3,000 events/s"
        and row(text, "search indexing")[-1] == "yes"
    )


def test_a_missed_target_reads_no_and_says_which_cost_remains(tmp_path: Path) -> None:
    text = built(tmp_path)

    assert row(text, "`POST /v1/sessions`")[1:4] == ["100/s, p99 320.0 ms", "400/s", "25%"]
    assert row(text, "`POST /v1/sessions`")[-1] == "no"
    assert row(text, "notification fan-out")[3:] == ["60%", "≥ 70% of the aiosmtplib loop", "no"]
    assert row(text, "load mix")[3] == "0.90×" and row(text, "load mix")[-1] == "yes"
    remains = text.split("### What cost remains", 1)[1].split("\n## ", 1)[0]
    assert "25% of the floor's rate < 40%; p99 320 ms > 200 ms" in remains
    assert "notification fan-out — missed: 60% of the floor's rate < 70%" in remains
    assert remains.count(" — missed: ") == 2  # sessions and fan-out; nothing met is listed
    assert all(
        row.remains in remains
        for row in report_rows.ROWS
        if row.path.startswith(("`POST", "notif"))
    )


def test_every_row_with_a_target_says_which_cost_remains_when_it_is_missed() -> None:
    assert [row.path for row in report_rows.ROWS if row.has_target and not row.remains] == []


def test_a_failed_or_missing_benchmark_reads_not_measured_with_its_exit(tmp_path: Path) -> None:
    text = built(tmp_path)

    assert row(text, "video token")[1:] == [
        "not measured (`video_tokens`: exit 1)", "—", "—",
        "≥ 60% of the same server's `/healthz`", "—",
    ]  # fmt: skip
    assert row(text, "event hop, commit")[1] == "not measured (`event_hop`: not run)"
    assert "| video_tokens |" in text and "RuntimeError: port in use" in text


def test_the_report_names_its_commit_machine_and_load(tmp_path: Path) -> None:
    text = built(tmp_path)

    assert text.startswith("# Benchmark report, issue 19 — test run")
    assert "`abc1234 a commit`" in text and "2 cores, Some CPU, 7.7 GiB memory" in text
    assert "0.50 0.40 0.30 |" in text and "1.50 0.60 0.35 |" in text


def test_charts_are_written_as_png_and_linked_from_the_report(tmp_path: Path) -> None:
    text = built(tmp_path)
    charts = tmp_path / "out" / "charts"

    written = sorted(path.name for path in charts.iterdir())
    assert written == ["before_after.png", "latency.png", "throughput.png"]  # no CDF recorded
    assert all((charts / name).read_bytes().startswith(PNG) for name in written)
    assert all(f"](charts/{name})" in text for name in written)


def test_a_recorded_figure_wins_over_the_printed_one_and_adds_the_cdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = write_run(tmp_path / "run")
    monkeypatch.setenv("BENCH_RESULTS", str(run / "http_stack.jsonl"))
    results.record("packs on kernel", results.latency(ms(*range(1, 101)), per_second=4000.0))

    text = report.build(run, tmp_path / "out" / "REPORT.md").read_text(encoding="utf-8")

    assert row(text, "HTTP stack")[1:4] == ["4,000/s, p99 99.0 ms", "8,000/s", "50%"]
    assert row(text, "HTTP stack")[-1] == "no"  # 50% < 60%, and p99 99 ms is 2× p50 51 ms
    assert (tmp_path / "out" / "charts" / "latency_cdf.png").read_bytes().startswith(PNG)


def test_recording_without_bench_results_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BENCH_RESULTS", raising=False)
    monkeypatch.chdir(tmp_path)

    results.record("kernel", {"per_second": 1.0})

    assert list(tmp_path.iterdir()) == []


def test_every_benchmark_under_bench_has_sizes_in_the_runner() -> None:
    assert run_all.unlisted() == []
    assert all((run_all.BENCH / f"{name}.py").exists() for name in run_all.BENCHMARKS)


def test_a_figure_is_found_by_its_whole_name_before_a_longer_one_that_starts_like_it() -> None:
    figures = report_parse.parse_output(OUTPUTS["consumer_batches"])

    assert report_rows.find(figures, "consumer_batch_size 1") == {"per_second": 300.0}
    assert report_rows.find(figures, "consumer_batch_size 10") == {"per_second": 1500.0}
