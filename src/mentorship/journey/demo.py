"""`mentorship demo`: the journey against a running `make dev`, one line per step, a progress
bar, the sandbox checkout page and the mails each step caused, and a summary table."""

import time
from dataclasses import dataclass

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from mentorship.journey.cast import Cast, Journey
from mentorship.journey.steps import STEPS, Step
from mentorship.journey.suite import JourneyFailed, Suite


@dataclass(frozen=True)
class StepResult:
    step: Step
    line: str
    seconds: float
    mails: list[str]
    suite_time: str
    failed: bool = False


def run_demo(base_url: str, *, dev_secret: str, console: Console) -> int:
    """Walk every step through the gateway at `base_url`; 0 when all passed, 1 otherwise."""
    suite = Suite(base_url, dev_secret)
    journey = Journey(suite=suite, cast=Cast.fresh())
    results: list[StepResult] = []
    console.print(f"[bold]The journey through {base_url}[/] (cast: {_cast_line(journey.cast)})")
    try:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task("journey", total=len(STEPS))
            for number, step in enumerate(STEPS, 1):
                progress.update(task, description=f"{number}. {step.title}")
                result = _run_step(journey, step)
                results.append(result)
                _print_step(console, number, result, journey)
                progress.advance(task)
                if result.failed:
                    break
    finally:
        suite.close()
    console.print(_summary(results, suite.calls))
    return 1 if any(r.failed for r in results) or len(results) < len(STEPS) else 0


def _run_step(journey: Journey, step: Step) -> StepResult:
    seen = {m["file"] for m in journey.suite.mails()}
    started = time.perf_counter()
    failed = False
    try:
        line = step.run(journey)
    except (JourneyFailed, OSError) as exc:  # httpx' transport errors are OSError's kin
        line, failed = f"FAILED: {exc}", True
    except Exception as exc:  # noqa: BLE001 - a demo reports any failure and stops
        line, failed = f"FAILED: {type(exc).__name__}: {exc}", True
    seconds = time.perf_counter() - started
    mails = [
        f"{m['to']}: {m['subject']}"
        for m in reversed(journey.suite.mails())
        if m["file"] not in seen
    ]
    now = journey.suite.now(journey.cast.admin).strftime("%a %d %b %H:%M")
    return StepResult(step, line, seconds, mails, now, failed)


def _print_step(console: Console, number: int, result: StepResult, journey: Journey) -> None:
    mark = "[red]✗[/]" if result.failed else "[green]✓[/]"
    console.print(f"{mark} {number:>2}. [bold]{result.step.title}[/] — {result.line}")
    for line in journey.shown:
        console.print(f"      [cyan]{line}[/]")
    journey.shown.clear()
    for mail in result.mails:
        console.print(f"      [dim]✉ {mail}[/]")


def _summary(results: list[StepResult], calls: int) -> Table:
    table = Table(title=f"Journey summary ({calls} HTTP calls through the gateway)")
    table.add_column("#", justify="right")
    table.add_column("step")
    table.add_column("result")
    table.add_column("mails", justify="right")
    table.add_column("suite time")
    table.add_column("seconds", justify="right")
    for number, result in enumerate(results, 1):
        table.add_row(
            str(number),
            result.step.title,
            "[red]failed[/]" if result.failed else "[green]ok[/]",
            str(len(result.mails)),
            result.suite_time,
            f"{result.seconds:.1f}",
        )
    return table


def _cast_line(cast: Cast) -> str:
    people = (cast.mentor, *cast.students)
    return ", ".join(f"{p.name} ({p.user_id})" for p in people)
