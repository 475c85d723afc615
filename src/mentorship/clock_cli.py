"""`mentorship clock`: read and move the dev clock of the running `make dev` suite.

One service's `PUT /v1/admin/clock` moves the shared offset (a NATS KV key); the command then
waits until every service applies that revision — by then each has started its due jobs at
the new time — and prints it.
"""

import time
from typing import Annotated, Any

import httpx
import typer
from rich.table import Table

from mentorship.adminapi import admin_token
from mentorship.consoles import make_console
from mentorship.services import repo_root
from mentorship.stack import read_stack

clock_app = typer.Typer(
    help="The dev clock shared by every service (dev mode only).", no_args_is_help=True
)
console = make_console()
errors = make_console(stderr=True)

Token = Annotated[
    str | None,
    typer.Option(help="Bearer token (default: MENTORSHIP_ADMIN_TOKEN, else a dev admin token)."),
]
Wait = Annotated[float, typer.Option(help="Seconds to wait for every service to follow.")]
CLOCK_PATH = "/v1/admin/clock"


class ClockError(RuntimeError):
    """A clock call failed; the message is what the operator reads."""


def _services() -> dict[str, str]:
    stack = read_stack(repo_root())
    if stack is None or not stack.services:
        raise ClockError("no dev stack found (.dev/stack.json): run `make dev` first")
    return stack.services


def _answer(response: httpx.Response, name: str) -> dict[str, Any]:
    """The clock a service answered, or a ClockError saying why not."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code == 200 and isinstance(body, dict):
        return body
    code = body.get("code") if isinstance(body, dict) else None
    if code == "DEV_CLOCK_DISABLED":
        raise ClockError(
            f"refused by {name}: the stack is not in dev mode, and real time cannot be moved"
        )
    detail = body.get("detail") if isinstance(body, dict) else response.text[:300]
    raise ClockError(f"{name}: HTTP {response.status_code} {code or ''} {detail or ''}".strip())


def _call(client: httpx.Client, name: str, url: str, token: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"}
    try:
        if body is None:
            response = client.get(f"{url.rstrip('/')}{CLOCK_PATH}", headers=headers)
        else:
            response = client.put(f"{url.rstrip('/')}{CLOCK_PATH}", json=body, headers=headers)
    except httpx.HTTPError as exc:
        raise ClockError(f"{name} at {url} did not answer ({type(exc).__name__})") from exc
    return _answer(response, name)


def _wait_for_all(
    client: httpx.Client, services: dict[str, str], token: str, *, revision: int, wait: float
) -> dict[str, dict[str, Any]]:
    """Every service's clock once it applies `revision` (its due jobs started at that time)."""
    deadline = time.monotonic() + wait
    seen: dict[str, dict[str, Any]] = {}
    while True:
        for name, url in services.items():
            if name not in seen or seen[name]["revision"] < revision:
                reading = _call(client, name, url, token)
                if reading["revision"] >= revision:
                    seen[name] = reading
        behind = [name for name in services if name not in seen]
        if not behind:
            return seen
        if time.monotonic() > deadline:
            raise ClockError(f"moved, but {', '.join(behind)} did not follow within {wait:g} s")
        time.sleep(0.1)


def _move(body: dict[str, Any], token: str | None, wait: float) -> None:
    try:
        services = _services()
        bearer = admin_token(token)
        with httpx.Client(timeout=10.0) as client:
            first, url = next(iter(services.items()))
            moved = _call(client, first, url, bearer, body)
            _wait_for_all(client, services, bearer, revision=moved["revision"], wait=wait)
    except ClockError as exc:
        errors.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc
    console.print(
        f"[green]now[/] {moved['now']}  (offset {moved['offset']}, real {moved['real_now']}); "
        f"{len(services)} services follow and have started their due jobs"
    )


@clock_app.command("show")
def show(token: Token = None) -> None:
    """Each service's clock: offset, now, real now."""
    try:
        services = _services()
        bearer = admin_token(token)
        with httpx.Client(timeout=10.0) as client:
            readings = {name: _call(client, name, url, bearer) for name, url in services.items()}
    except ClockError as exc:
        errors.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc
    table = Table(title="dev clock")
    for column in ("service", "offset", "now", "real now", "revision"):
        table.add_column(column, no_wrap=True)
    for name, reading in readings.items():
        table.add_row(
            name, reading["offset"], reading["now"], reading["real_now"], str(reading["revision"])
        )
    console.print(table)


@clock_app.command("advance")
def advance(
    duration: Annotated[
        str, typer.Argument(help="30m, 71h, 2d, 1h30m; back in time: `advance -- -2h`.")
    ],
    token: Token = None,
    wait: Wait = 15.0,
) -> None:
    """Move the suite's time forward (or back) by a duration."""
    _move({"advance": duration}, token, wait)


@clock_app.command("set")
def set_(
    moment: Annotated[str, typer.Argument(help="ISO-8601 with an offset: 2026-12-10T09:00:00Z.")],
    token: Token = None,
    wait: Wait = 15.0,
) -> None:
    """Put the suite's time at a moment."""
    _move({"set": moment}, token, wait)


@clock_app.command("reset")
def reset(token: Token = None, wait: Wait = 15.0) -> None:
    """Back to real time."""
    _move({"reset": True}, token, wait)
