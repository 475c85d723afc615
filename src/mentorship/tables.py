"""Rich tables the CLI prints."""

from collections.abc import Mapping, Sequence
from typing import Any

from rich.table import Table

from mentorship.adminapi import Readiness
from mentorship.supervisor import ServiceProcess

# event_id is left to `--json`: the table has to fit a terminal.
DEAD_LETTER_COLUMNS = ("id", "consumer", "subject", "attempts", "failed_at", "replayed_at", "error")


def health_cell(readiness: Readiness) -> str:
    """A coloured health cell."""
    if readiness.ready:
        return "[green]ready[/]"
    return f"[red]{readiness.detail}[/]"


def dev_table(procs: Sequence[ServiceProcess], health: Mapping[str, Readiness]) -> Table:
    """Services of `mentorship dev` with their URL, docs and health."""
    table = Table(title="mentorship dev")
    for column in ("service", "URL", "docs"):
        table.add_column(column, no_wrap=True)
    table.add_column("health", overflow="fold")
    for proc in procs:
        name = proc.label
        table.add_row(name, proc.base_url, f"{proc.base_url}/docs", health_cell(health[name]))
    return table


def health_table(rows: Mapping[str, tuple[str, Readiness]]) -> Table:
    """`mentorship health`: service, base URL and what `/readyz` said."""
    table = Table(title="readiness")
    for column in ("service", "URL"):
        table.add_column(column, no_wrap=True)
    table.add_column("health", overflow="fold")
    for name, (url, readiness) in rows.items():
        table.add_row(name, url, health_cell(readiness))
    return table


def dead_letter_table(rows: Sequence[tuple[str, Mapping[str, Any]]]) -> Table:
    """`mentorship dlq list`: one line per dead letter, with its service."""
    table = Table(title=f"dead letters ({len(rows)})")
    table.add_column("service")
    for column in DEAD_LETTER_COLUMNS:
        table.add_column(column, overflow="fold", ratio=3 if column == "error" else None)
    for service, letter in rows:
        cells = ["" if letter.get(c) is None else str(letter.get(c)) for c in DEAD_LETTER_COLUMNS]
        table.add_row(service, *cells)
    return table
