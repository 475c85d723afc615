"""`mentorship dev`: NATS, Postgres and every service on this machine, stopped in order."""

import asyncio
import importlib.util
import os
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
from rich.console import Console

from mentorship import migrations
from mentorship.adminapi import Readiness, check_ready, dev_secret
from mentorship.services import Service
from mentorship.signals import ShutdownRequested, guarded_signals
from mentorship.supervisor import COLORS, ServiceProcess
from mentorship.tables import dev_table
from mentorship.watchdog import Watchdog, how_it_ended
from shared.embedded import EmbeddedNats, EmbeddedPostgres, ensure_databases
from shared.embedded.ports import port_is_open


class DevError(RuntimeError):
    """The dev stack cannot start or keep running; the message says why."""


@dataclass(frozen=True)
class DevOptions:
    """What `mentorship dev` runs and how long it waits."""

    root: Path
    services: list[Service]
    nats_port: int | None = None
    postgres_port: int | None = None
    ready_timeout: float = 60.0


@dataclass
class Infra:
    """The URLs the services get, and the embedded servers we own (if any)."""

    nats_url: str
    database_urls: dict[str, str]
    nats: EmbeddedNats | None = None
    postgres: EmbeddedPostgres | None = None


def run_dev(options: DevOptions, console: Console) -> int:
    """Run the stack until Ctrl-C, SIGTERM or a child's death; return the exit code."""
    try:
        _preflight(options.services)
    except DevError as exc:
        console.print(f"[bold red]error:[/] {exc}")
        return 1
    with guarded_signals(lambda _: console.print("[yellow]already stopping…[/]")) as guard:
        with ExitStack() as stack:  # stops services, then Postgres, then NATS
            try:
                _run(options, console, stack)
                code = 0
            except ShutdownRequested as request:
                console.print(f"[bold]{request}: stopping services, then Postgres, then NATS…[/]")
                code = 0
            except (DevError, migrations.MigrationError) as exc:
                console.print(f"[bold red]error:[/] {exc}")
                console.print("[bold]stopping everything that was started…[/]")
                code = 1
            finally:
                guard.stopping()
        console.print("[green]all stopped[/]")
    return code


def _run(options: DevOptions, console: Console, stack: ExitStack) -> None:
    """Start everything in order (each stop registered before its start), then watch."""
    infra = _start_infra(options, console, stack)
    _migrate(options, infra, console)
    procs = []
    for index, service in enumerate(options.services):
        proc = ServiceProcess(
            service,
            port=service.dev_port,
            env=_service_env(service, infra),
            cwd=options.root,
            log_file=options.root / ".dev" / "logs" / f"{service.name}.log",
            console=console,
            color=COLORS[index % len(COLORS)],
        )
        stack.callback(proc.stop)
        proc.start()
        procs.append(proc)
    health = _wait_ready(procs, infra, options.ready_timeout)
    console.print(dev_table(procs, health))
    for label, url in infra_urls(infra).items():
        console.print(f"{label:<9} {url}")
    console.print("[dim]Ctrl-C stops everything. Tokens: uv run mentorship token --help[/]")
    _watch(procs, infra, console)


def _preflight(services: list[Service]) -> None:
    """Fail before starting anything if a service is missing or its port is taken."""
    for service in services:
        module = service.app.split(":", 1)[0]
        try:
            found = importlib.util.find_spec(module) is not None
        except ImportError:
            found = False
        if not found:
            raise DevError(f"{service.name}: cannot import {module} (expected create_app() there)")
        if port_is_open("127.0.0.1", service.dev_port):
            raise DevError(f"{service.name}: port {service.dev_port} is already in use")


def _start_infra(options: DevOptions, console: Console, stack: ExitStack) -> Infra:
    """NATS unless NATS_URL is set; Postgres unless every <SERVICE>_DATABASE_URL is set."""
    dev_dir = options.root / ".dev"
    infra = Infra(nats_url=os.environ.get("NATS_URL", ""), database_urls={})
    if not infra.nats_url:
        infra.nats = EmbeddedNats(dev_dir / "nats", port=options.nats_port)
        stack.callback(infra.nats.stop)
        with console.status("starting NATS (JetStream)…"):
            infra.nats.start()
        infra.nats_url = infra.nats.url
        console.print(f"NATS      {infra.nats_url}  [dim]data {infra.nats.data_dir}[/]")
    missing = []
    for service in options.services:
        if url := os.environ.get(service.env_var("DATABASE_URL")):
            infra.database_urls[service.name] = url
        else:
            missing.append(service.name)
    if missing:
        pg = infra.postgres = EmbeddedPostgres(dev_dir / "postgres", port=options.postgres_port)
        stack.callback(pg.stop)
        with console.status("starting Postgres…"):
            pg.start()
        console.print(f"Postgres  {pg.url()}  [dim]data {pg.data_dir}[/]")
        created = asyncio.run(ensure_databases(pg.url(), missing))
        if created:
            console.print(f"created databases: {', '.join(created)}")
        infra.database_urls |= {name: pg.sqlalchemy_url(name) for name in missing}
    return infra


def _migrate(options: DevOptions, infra: Infra, console: Console) -> None:
    """Upgrade every service's database to head."""
    for service in options.services:
        with console.status(f"migrating {service.name}…"):
            migrations.upgrade(
                service, root=options.root, database_url=infra.database_urls[service.name]
            )
        console.print(f"migrated  {service.name}")


def _service_env(service: Service, infra: Infra) -> dict[str, str]:
    """Our environment plus the service's database, NATS, dev mode and dev secret."""
    env = dict(os.environ)
    env.update(
        {
            service.env_var("DATABASE_URL"): infra.database_urls[service.name],
            service.env_var("NATS_URL"): infra.nats_url,
            service.env_var("DEV_MODE"): "true",
            service.env_var("JWT_DEV_SECRET"): dev_secret(),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def _wait_ready(procs: list[ServiceProcess], infra: Infra, timeout: float) -> dict[str, Readiness]:
    """Poll every `/readyz` until all are ready or `timeout`; fail if anything dies."""
    health: dict[str, Readiness] = {}
    pending = {p.service.name: p for p in procs}
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=2.0) as client:
        while pending:
            _raise_if_infra_exited(infra)
            for name, proc in list(pending.items()):
                _raise_if_exited(proc, during="startup")
                health[name] = check_ready(client, proc.base_url)
                if health[name].ready:
                    del pending[name]
            if not pending or time.monotonic() >= deadline:
                break
            time.sleep(0.5)
    for name in pending:
        health[name] = Readiness(False, f"not ready after {timeout:.0f}s: {health[name].detail}")
    return health


def _watch(procs: list[ServiceProcess], infra: Infra, console: Console) -> None:
    """Restart crashed services (within a limit) until NATS or Postgres dies (DevError) or a
    signal arrives (ShutdownRequested)."""
    watchdog = Watchdog(procs, console=console)
    while True:
        watchdog.check()
        _raise_if_infra_exited(infra)
        time.sleep(0.5)


def _raise_if_infra_exited(infra: Infra) -> None:
    """DevError if an embedded server we started has died."""
    for label, server in (("NATS", infra.nats), ("Postgres", infra.postgres)):
        if server is not None and not server.running:
            raise DevError(f"{label} exited unexpectedly; see {server.log_file}")


def _raise_if_exited(proc: ServiceProcess, *, during: str) -> None:
    """DevError with the exit code and output tail if `proc` has ended."""
    code = proc.exit_code()
    if code is not None:
        raise DevError(
            f"{proc.service.name} exited unexpectedly during {during} {how_it_ended(code)}; "
            f"last output:\n{proc.output_tail()}"
        )


def infra_urls(infra: Infra) -> dict[str, str]:
    """Rows for the infrastructure part of the table."""
    rows = {"NATS": infra.nats_url}
    if infra.postgres is not None:
        rows["Postgres"] = infra.postgres.url()
    return rows
