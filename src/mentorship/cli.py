"""The `mentorship` operator CLI: dev stack, dev tokens, health, dead letters, migrations."""

import asyncio
import json
import os
from enum import StrEnum
from typing import Annotated

import httpx
import typer

from mentorship import migrations
from mentorship.adminapi import (
    AdminApiError,
    admin_token,
    check_ready,
    dev_secret,
    list_dead_letters,
    rebuild_projection,
    replay_dead_letter,
)
from mentorship.clock_cli import clock_app
from mentorship.consoles import make_console
from mentorship.dev import DEFAULT_NATS_PORT, DEFAULT_POSTGRES_PORT, DevOptions, run_dev
from mentorship.mail_cli import mail_app
from mentorship.publish import PublishError, build_envelope, publish_envelope
from mentorship.services import SERVICE_NAMES, Service, repo_root, select
from mentorship.stack import read_stack
from mentorship.tables import dead_letter_table, health_table
from shared.auth_dev import mint_dev_token

app = typer.Typer(help=__doc__, no_args_is_help=True, add_completion=False)
dlq_app = typer.Typer(help="Dead letters of the services' consumers.", no_args_is_help=True)
app.add_typer(dlq_app, name="dlq")
app.add_typer(clock_app, name="clock")
app.add_typer(mail_app, name="mail")
console = make_console()
errors = make_console(stderr=True)

ServiceNames = Annotated[
    list[str] | None,
    typer.Option("--service", "-s", help=f"Only these services ({', '.join(SERVICE_NAMES)})."),
]
BaseUrls = Annotated[
    list[str] | None,
    typer.Option("--base-url", help="name=url of a service (default: its dev port)."),
]
Token = Annotated[
    str | None,
    typer.Option(help="Bearer token (default: MENTORSHIP_ADMIN_TOKEN, else a dev admin token)."),
]


class Role(StrEnum):
    """Roles a dev token can carry."""

    student = "student"
    mentor = "mentor"
    admin = "admin"


def _services(names: list[str] | None) -> list[Service]:
    """Services by name, as a usage error if one is unknown."""
    try:
        return select(names)
    except KeyError as exc:
        raise typer.BadParameter(str(exc.args[0])) from exc


def _base_urls(pairs: list[str] | None, names: list[str] | None = None) -> dict[str, str]:
    """name -> base URL from `name=url` pairs, else every (selected) service's dev URL."""
    if not pairs:
        return {s.name: s.dev_url() for s in _services(names)}
    urls: dict[str, str] = {}
    for pair in pairs:
        name, sep, url = pair.partition("=")
        if not sep or not url:
            raise typer.BadParameter(f"expected name=url, got {pair!r}")
        urls[_services([name])[0].name] = url.rstrip("/")
    return urls


@app.command()
def dev(
    service: ServiceNames = None,
    nats_port: Annotated[
        int | None,
        typer.Option(
            envvar="MENTORSHIP_NATS_PORT",
            help=f"Port of the embedded NATS (default {DEFAULT_NATS_PORT} if free).",
        ),
    ] = None,
    postgres_port: Annotated[
        int | None,
        typer.Option(
            envvar="MENTORSHIP_POSTGRES_PORT",
            help=f"Port of the embedded Postgres (default {DEFAULT_POSTGRES_PORT} if free).",
        ),
    ] = None,
    gateway_port: Annotated[
        int | None,
        typer.Option(
            envvar="MENTORSHIP_GATEWAY_PORT",
            help="Port of the gateway, the suite's one base URL (default 8100 if free).",
        ),
    ] = None,
    ready_timeout: Annotated[float, typer.Option(help="Seconds to wait for /readyz.")] = 60.0,
    json_logs: Annotated[
        bool,
        typer.Option("--json-logs", envvar="MENTORSHIP_JSON_LOGS", help="Services log JSON."),
    ] = False,
    nats_cluster: Annotated[
        int,
        typer.Option(
            envvar="MENTORSHIP_NATS_CLUSTER",
            help="NATS nodes: 3 runs a cluster on loopback with the event stream at R3.",
        ),
    ] = 1,
    replicas: Annotated[
        int,
        typer.Option(
            envvar="MENTORSHIP_REPLICAS",
            help="Processes of each service, behind the gateway (replica k: dev port + 10k).",
        ),
    ] = 1,
) -> None:
    """Run NATS, Postgres, the services and the gateway on this machine until Ctrl-C."""
    options = DevOptions(
        root=repo_root(),
        services=_services(service),
        nats_port=nats_port,
        postgres_port=postgres_port,
        gateway_port=gateway_port,
        ready_timeout=ready_timeout,
        json_logs=json_logs,
        nats_cluster=nats_cluster,
        replicas=replicas,
    )
    raise typer.Exit(run_dev(options, console))


@app.command()
def demo(
    base_url: Annotated[
        str | None,
        typer.Option(help="The gateway's base URL (default: the running `make dev`'s)."),
    ] = None,
) -> None:
    """Walk the whole product through the gateway of a running `make dev`, step by step."""
    from mentorship.journey.demo import run_demo

    url = base_url or _gateway_url()
    raise typer.Exit(run_demo(url, dev_secret=dev_secret(), console=console))


def _gateway_url() -> str:
    """The running dev stack's gateway, or a usage error saying to start it."""
    stack = read_stack(repo_root())
    if stack is None or not stack.gateway_url:
        errors.print("[red]no dev stack is running here:[/] start it with `make dev` first")
        raise typer.Exit(2)
    return stack.gateway_url


@app.command()
def token(
    user: Annotated[str, typer.Option(help="User id (the `sub` claim).")],
    role: Annotated[Role, typer.Option(help="Role claim.")],
    ttl: Annotated[int, typer.Option(help="Lifetime in seconds.")] = 3600,
    role_claim: Annotated[str, typer.Option(help="Name of the role claim.")] = "role",
) -> None:
    """Print a dev HS256 token (secret: MENTORSHIP_DEV_JWT_SECRET or the dev default)."""
    typer.echo(
        mint_dev_token(
            user_id=user,
            role=role.value,
            secret=dev_secret(),
            role_claim=role_claim,
            ttl_seconds=ttl,
        )
    )


@app.command()
def health(base_url: BaseUrls = None, timeout: float = 3.0) -> None:
    """Ask every service's /readyz; exit 1 if any is not ready."""
    urls = _base_urls(base_url)
    with httpx.Client(timeout=timeout) as client:
        rows = {name: (url, check_ready(client, url)) for name, url in urls.items()}
    console.print(health_table(rows))
    if not all(readiness.ready for _, readiness in rows.values()):
        raise typer.Exit(1)


@dlq_app.command("list")
def dlq_list(
    service: ServiceNames = None,
    base_url: BaseUrls = None,
    token: Token = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON, not a table.")] = False,
) -> None:
    """List dead letters of every (or the selected) service; exit 1 if one cannot answer."""
    urls = _base_urls(base_url, service)
    bearer = admin_token(token)
    rows, failures = [], []
    with httpx.Client(timeout=10.0) as client:
        for name, url in urls.items():
            try:
                rows += [(name, letter) for letter in list_dead_letters(client, url, bearer)]
            except AdminApiError as exc:
                failures.append(f"{name}: {exc}")
    if as_json:
        typer.echo(json.dumps([{"service": name, **letter} for name, letter in rows], indent=2))
    else:
        console.print(dead_letter_table(rows))
    for failure in failures:
        errors.print(f"[red]{failure}[/]")
    if failures:
        raise typer.Exit(1)


@dlq_app.command("replay")
def dlq_replay(
    service: Annotated[str, typer.Argument(help="Service that holds the dead letter.")],
    letter_id: Annotated[str, typer.Argument(metavar="ID", help="Dead letter id.")],
    base_url: Annotated[str | None, typer.Option(help="Base URL of the service.")] = None,
    token: Token = None,
) -> None:
    """Replay one dead letter through its consumer."""
    target = _services([service])[0]
    url = (base_url or target.dev_url()).rstrip("/")
    try:
        with httpx.Client(timeout=30.0) as client:
            answer = replay_dead_letter(client, url, admin_token(token), letter_id)
    except AdminApiError as exc:
        errors.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc
    console.print(f"[green]replayed[/] {target.name} dead letter {letter_id}")
    if answer is not None:
        console.print_json(data=answer)


# The projections a service can rebuild from its owners' snapshots (decision 0006).
REBUILDS = {"video": "sessions", "search": "directory"}


@app.command()
def rebuild(
    service: Annotated[str, typer.Argument(help=f"One of: {', '.join(REBUILDS)}.")],
    base_url: Annotated[str | None, typer.Option(help="Base URL of the service.")] = None,
    token: Token = None,
) -> None:
    """Rebuild a service's projection from its owners' snapshots; swapped in without a gap."""
    target = _services([service])[0]
    if target.name not in REBUILDS:
        raise typer.BadParameter(f"{target.name} has no projection to rebuild")
    url = (base_url or target.dev_url()).rstrip("/")
    try:
        with httpx.Client(timeout=600.0) as client:
            answer = rebuild_projection(client, url, admin_token(token), REBUILDS[target.name])
    except AdminApiError as exc:
        errors.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc
    console.print(f"[green]rebuilt[/] {target.name} {REBUILDS[target.name]}")
    console.print_json(data=answer)


@app.command()
def publish(
    subject: Annotated[str, typer.Argument(help="Event subject, e.g. payment.succeeded.")],
    data: Annotated[str, typer.Argument(help="The payload as JSON (the envelope's `data`).")],
    nats_url: Annotated[
        str | None,
        typer.Option(envvar="NATS_URL", help="Default: the NATS of the running `make dev`."),
    ] = None,
    namespace: Annotated[str, typer.Option(help="Subject namespace (dev: none).")] = "",
    correlation_id: Annotated[str | None, typer.Option(help="Default: the event id.")] = None,
) -> None:
    """Dev only: publish one domain event in the real envelope, as its producer would."""
    url = nats_url or (stack.nats_url if (stack := read_stack(repo_root())) else "")
    if not url:
        errors.print("[red]no dev stack found[/] (.dev/stack.json): run `make dev` first")
        raise typer.Exit(1)
    try:
        envelope = build_envelope(subject, data, correlation_id=correlation_id)
        sequence = asyncio.run(publish_envelope(envelope, nats_url=url, namespace=namespace))
    except PublishError as exc:
        errors.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc
    console.print(
        f"[green]published[/] {subject} id={envelope.id} "
        f"correlation_id={envelope.correlation_id} (stream seq {sequence})"
    )


@app.command()
def migrate(
    service: Annotated[str | None, typer.Argument(help="One service (default: all).")] = None,
) -> None:
    """Upgrade each service's database (its <NAME>_DATABASE_URL) to the head revision."""
    targets = _services([service] if service else None)
    urls = {t.name: os.environ.get(t.env_var("DATABASE_URL"), "") for t in targets}
    missing = [t.env_var("DATABASE_URL") for t in targets if not urls[t.name]]
    if missing:
        errors.print(f"[red]not set:[/] {', '.join(missing)}")
        raise typer.Exit(2)
    root = repo_root()
    for target in targets:
        try:
            migrations.upgrade(target, root=root, database_url=urls[target.name])
        except migrations.MigrationError as exc:
            errors.print(f"[red]{exc}[/]")
            raise typer.Exit(1) from exc
        console.print(f"[green]migrated[/] {target.name}")


if __name__ == "__main__":
    app()
