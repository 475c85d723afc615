"""bench/REPORT.md from one `make bench` run (bench/run_all.py's directory: run.json, each
benchmark's output and recorded figures): the run's date, commit, machine and load, one table
of issue 19's paths against their same-run floors and targets, and the charts.

    uv run --no-sync python bench/report.py RUN_DIR [--report bench/REPORT.md]
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from report_charts import draw  # noqa: E402
from report_parse import benchmark_figures  # noqa: E402
from report_rows import ROWS, Run, measure  # noqa: E402

Meta = dict[str, Any]  # run.json

BENCH = Path(__file__).parent
TAIL_LINES = 14


def load_run(directory: Path) -> tuple[Meta, Run]:
    """run.json and every benchmark's figures (recorded over printed)."""
    meta = json.loads((directory / "run.json").read_text(encoding="utf-8"))
    run = {
        entry["name"]: benchmark_figures(
            directory / f"{entry['name']}.out", directory / f"{entry['name']}.jsonl"
        )
        for entry in meta["benchmarks"]
    }
    return meta, run


def figures_table(run: Run, meta: Meta) -> list[str]:
    status = {entry["name"]: entry["status"] for entry in meta["benchmarks"]}
    lines = [
        "| path | today | same-run floor | ratio | target | met |",
        "|---|---|---|---|---|---|",
    ]
    remains = []
    for row in ROWS:
        measured = measure(row, run)
        if measured is None:
            why = status.get(row.benchmark, "not run")
            why = "not printed" if why == 0 else (f"exit {why}" if isinstance(why, int) else why)
            why = f"not measured (`{row.benchmark}`: {why})"
            lines.append(f"| {row.path} | {why} | — | — | {row.target} | — |")
            continue
        met = "—" if not row.has_target else ("no" if measured.missed else "yes")
        lines.append(
            f"| {row.path} | {measured.today} | {measured.floor} | {measured.ratio} |"
            f" {row.target} | {met} |"
        )
        if row.has_target and measured.missed:
            remains.append(
                f"- {row.path} — missed: {'; '.join(measured.missed)}.  \n  {row.remains}"
            )
    if remains:
        lines += ["", "### What cost remains (missed targets)", "", *remains]
    return lines


def before_table() -> list[str]:
    lines = ["| path | before (as filed) |", "|---|---|"]
    return lines + [f"| {row.path} | {row.before} |" for row in ROWS]


def runs_table(meta: Meta) -> list[str]:
    lines = [
        "| benchmark | arguments | exit | seconds | loadavg before | loadavg after |",
        "|---|---|---|---|---|---|",
    ]
    for entry in meta["benchmarks"]:
        lines.append(
            f"| {entry['name']} | `{' '.join(entry['args']) or '(defaults)'}` |"
            f" {entry['status']} | {entry['seconds']:.0f} | {entry['loadavg_before']} |"
            f" {entry['loadavg_after']} |"
        )
    return lines


def summaries(directory: Path, meta: Meta) -> list[str]:
    """The last lines each benchmark printed (its own summary and targets), folded."""
    lines = []
    for entry in meta["benchmarks"]:
        output = directory / f"{entry['name']}.out"
        text = output.read_text(encoding="utf-8") if output.exists() else ""
        tail = [line for line in text.splitlines() if line.strip()][-TAIL_LINES:]
        lines += [
            f"<details><summary>{entry['name']} (exit {entry['status']})</summary>",
            "",
            "```",
            *(tail or ["(no output)"]),
            "```",
            "</details>",
            "",
        ]
    return lines


def render(meta: Meta, run: Run, charts: list[Path], directory: Path, report: Path) -> str:
    machine = meta["machine"]
    lines = [
        f"# Benchmark report, issue 19 — {meta['label']}",
        "",
        f"- Date: {meta['started']} → {meta['finished']} UTC ({meta['seconds']:.0f} s in all)",
        f"- Commit: `{meta['commit']}`" + (f" ({meta['dirty']})" if meta["dirty"] else ""),
        f"- Machine: {machine['cores']} cores, {machine['cpu']}, {machine['memory']} memory",
        f"- Load (`/proc/loadavg`): {meta['loadavg_before']} at the start,"
        f" {meta['loadavg_after']} at the end; per benchmark below",
        "- `make bench` (bench/run_all.py, decision 0028): every benchmark one after the other",
        "  under one `flock /tmp/bench.lock`, each with its floor in the same run.",
        "",
        "## Figures",
        "",
        *figures_table(run, meta),
        "",
        "## Charts",
        "",
        *(f"![{chart.stem}]({chart.relative_to(report.parent).as_posix()})\n" for chart in charts),
        "",
        "## Before: issue 19's table as filed",
        "",
        *before_table(),
        "",
        "## Runs",
        "",
        *runs_table(meta),
        "",
        "## What each benchmark printed last",
        "",
        *summaries(directory, meta),
    ]
    return "\n".join(lines).rstrip() + "\n"


def build(directory: Path, report: Path) -> Path:
    """Write `report` and its charts (in charts/ beside it) from the run in `directory`."""
    meta, run = load_run(directory)
    charts = draw(run, report.parent / "charts")
    report.write_text(render(meta, run, charts, directory, report), encoding="utf-8")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("--report", type=Path, default=BENCH / "REPORT.md")
    args = parser.parse_args()
    print(f"wrote {build(args.run_dir, args.report)}")


if __name__ == "__main__":
    main()
