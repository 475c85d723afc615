"""The CLI's output is not cut at 80 columns when it goes to a pipe or a file."""

import io

import pytest

from mentorship.adminapi import Readiness
from mentorship.consoles import make_console
from mentorship.tables import health_table

LONG_URL = "http://mentorship-notifications.internal.example:8104/" + "x" * 60
WHY = "database: connection refused at 127.0.0.1:15432 (is `make dev` running?)"


def banner(out: io.StringIO) -> list[str]:
    console = make_console(file=out)
    console.print(health_table({"notifications": (LONG_URL, Readiness(False, WHY))}))
    return out.getvalue().splitlines()


def test_a_piped_banner_keeps_each_row_on_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)

    lines = banner(io.StringIO())

    [row] = [line for line in lines if "notifications" in line]
    assert LONG_URL in row and WHY in row
    assert max(len(line) for line in lines) > 80


def test_an_explicit_columns_setting_still_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")

    lines = banner(io.StringIO())

    assert max(len(line) for line in lines) <= 80
