"""`mentorship dev`: NATS, Postgres, every service and the gateway, stopped in order."""

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
from mentorship.dev_gateway import cors_origins, dev_gateway, route_table
from mentorship.services import Service
from mentorship.signals import ShutdownRequested, guarded_signals
from mentorship.stack import StackInfo, forget_stack, write_stack
from mentorship.supervisor import COLORS, ServiceProcess
from mentorship.tables import dev_table
from mentorship.watchdog import Watchdog, how_it_ended
from notifications.adapters import mail_sink
from shared.embedded import EmbeddedNats, EmbeddedNatsCluster, EmbeddedPostgres, ensure_databases
from shared.embedded.gateway import EmbeddedGateway
from shared.embedded.ports import port_is_open

# Fixed by default so that psql, the nats CLI and `mentorship publish` find the same URLs
# every run; off the usual 4222/5432 so that a local NATS or Postgres is left alone.
DEFAULT_NATS_PORT = 14222
DEFAULT_POSTGRES_PORT = 15432
# Replica k (0-based) of a service listens on its dev port + 10 k: packs at 8102, 8112, 8122.
REPLICA_PORT_STEP = 10
MAX_REPLICAS = 9
MAX_NATS_NODES = 7
# The domain stream's copies on a cluster: three (it goes on with one node down), or every
# node of a smaller one.
CLUSTER_STREAM_REPLICAS = 3


class DevError(RuntimeError):
    """The dev stack cannot start or keep running; the message says why."""


@dataclass(frozen=True)
class DevOptions:
    """What `mentorship dev` runs and how long it waits."""

    root: Path
    services: list[Service]
    nats_port: int | None = None  # None: DEFAULT_NATS_PORT if free, else any free port
    postgres_port: int | None = None  # None: DEFAULT_POSTGRES_PORT if free, else any free one
    gateway_port: int | None = None  # None: the route table's port (8100) if free, else any
    ready_timeout: float = 60.0
    json_logs: bool = False
    nats_cluster: int = 1  # NATS nodes: 1 is one server, 3 a cluster with the stream at R3
    replicas: int = 1  # processes of each service, behind the gateway (decision 0034)


def replica_port(service: Service, index: int) -> int:
    """Where replica `index` (0-based) of `service` listens."""
    return service.dev_port + REPLICA_PORT_STEP * index


def replica_label(service: Service, index: int, replicas: int) -> str:
    """`packs` alone; `packs-1`, `packs-2` … for several replicas."""
    return service.name if replicas == 1 else f"{service.name}-{index + 1}"


def stream_replicas(nats_nodes: int) -> int:
    return min(nats_nodes, CLUSTER_STREAM_REPLICAS)


@dataclass
class Infra:
    """The URLs the services get, and the embedded servers we own (if any)."""

    nats_url: str
    database_urls: dict[str, str]
    nats: EmbeddedNats | EmbeddedNatsCluster | None = None
    stream_replicas: int = 1
    postgres: EmbeddedPostgres | None = None
    mail: mail_sink.MailSink | None = None
    gateway: EmbeddedGateway | None = None
    gateway_port: int | None = None  # chosen before the services start, used once they run


def run_dev(options: DevOptions, console: Console) -> int:
    """Run the stack until Ctrl-C, SIGTERM or a child's death; return the exit code."""
    try:
        _preflight(options)
    except DevError as exc:
        console.print(f"[bold red]error:[/] {exc}")
        return 1
    with guarded_signals(lambda _: console.print("[yellow]already stopping…[/]")) as guard:
        with ExitStack() as stack:  # stops services, then Postgres, then NATS
            try:
                _run(options, console, stack)
                code = 0
            except ShutdownRequested as request:
                console.print(
                    f"[bold]{request}: stopping the gateway, services, then Postgres, then NATS…[/]"
                )
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
        for replica in range(options.replicas):
            label = replica_label(service, replica, options.replicas)
            proc = ServiceProcess(
                service,
                port=replica_port(service, replica),
                env=_service_env(service, infra, json_logs=options.json_logs),
                cwd=options.root,
                log_file=options.root / ".dev" / "logs" / f"{label}.log",
                console=console,
                color=COLORS[index % len(COLORS)],
                label=label,
            )
            stack.callback(proc.stop)
            proc.start()
            procs.append(proc)
    health = _wait_ready(procs, infra, options.ready_timeout)
    _start_gateway(options, infra, procs, console, stack)
    console.print(dev_table(procs, health))
    for label, url in infra_urls(infra).items():
        console.print(f"{label:<9} {url}")
    write_stack(
        options.root,
        StackInfo(
            nats_url=infra.nats_url,
            postgres_url=infra.postgres.url() if infra.postgres else "",
            services={name: urls[0] for name, urls in _upstreams(procs).items()},
            gateway_url=infra.gateway.url if infra.gateway else "",
        ),
    )
    stack.callback(forget_stack, options.root)
    console.print(
        "[dim]Ctrl-C stops everything. In another shell: make token, make health, "
        "make publish (see README 'Try it')[/]"
    )
    _watch(procs, infra, console)


def _preflight(options: DevOptions) -> None:
    """Fail before starting anything if a service is missing, a port is taken or a count is
    out of range."""
    if not 1 <= options.replicas <= MAX_REPLICAS:
        raise DevError(f"--replicas must be 1 to {MAX_REPLICAS}, not {options.replicas}")
    if not 1 <= options.nats_cluster <= MAX_NATS_NODES:
        raise DevError(f"--nats-cluster must be 1 to {MAX_NATS_NODES}, not {options.nats_cluster}")
    if options.nats_cluster > 1 and os.environ.get("NATS_URL"):
        raise DevError("NATS_URL is set: unset it to let --nats-cluster start a cluster")
    for service in options.services:
        module = service.app.split(":", 1)[0]
        try:
            found = importlib.util.find_spec(module) is not None
        except ImportError:
            found = False
        if not found:
            raise DevError(f"{service.name}: cannot import {module} (expected create_app() there)")
        for replica in range(options.replicas):
            port = replica_port(service, replica)
            if port_is_open("127.0.0.1", port):
                label = replica_label(service, replica, options.replicas)
                raise DevError(f"{label}: port {port} is already in use")


def _start_infra(options: DevOptions, console: Console, stack: ExitStack) -> Infra:
    """NATS unless NATS_URL is set; Postgres unless every <SERVICE>_DATABASE_URL is set."""
    dev_dir = options.root / ".dev"
    infra = Infra(nats_url=os.environ.get("NATS_URL", ""), database_urls={})
    if options.nats_cluster > 1:
        cluster = infra.nats = EmbeddedNatsCluster(
            options.nats_cluster, data_dir=dev_dir / "nats-cluster"
        )
        stack.callback(cluster.stop)
        with console.status(f"starting a NATS cluster of {options.nats_cluster} (JetStream)…"):
            cluster.start()
        infra.nats_url = cluster.url
        infra.stream_replicas = stream_replicas(options.nats_cluster)
        console.print(
            f"NATS      {options.nats_cluster} nodes, stream at R{infra.stream_replicas}: "
            f"{infra.nats_url}  [dim]data {cluster.data_dir}[/]"
        )
    elif not infra.nats_url:
        port = _port(options.nats_port, DEFAULT_NATS_PORT, "NATS", console)
        infra.nats = EmbeddedNats(dev_dir / "nats", port=port)
        stack.callback(infra.nats.stop)
        with console.status("starting NATS (JetStream)…"):
            infra.nats.start()
        infra.nats_url = infra.nats.url
        console.print(f"NATS      {infra.nats_url}  [dim]data {infra.nats.data_dir}[/]")
    if not os.environ.get("NOTIFICATIONS_SMTP_HOST"):  # else mail goes to that server
        infra.mail = mail_sink.start_dev(dev_dir / "mail")
        stack.callback(infra.mail.stop)
        console.print(
            f"Mail      smtp://{infra.mail.host}:{infra.mail.port}  [dim]{infra.mail.directory}[/]"
        )
    # Chosen now, so that a taken pinned port fails before anything else starts.
    infra.gateway_port = _port(
        options.gateway_port, route_table(options.root).port, "Gateway", console
    )
    missing = []
    for service in options.services:
        if url := os.environ.get(service.env_var("DATABASE_URL")):
            infra.database_urls[service.name] = url
        else:
            missing.append(service.name)
    if missing:
        port = _port(options.postgres_port, DEFAULT_POSTGRES_PORT, "Postgres", console)
        pg = infra.postgres = EmbeddedPostgres(dev_dir / "postgres", port=port)
        stack.callback(pg.stop)
        with console.status("starting Postgres…"):
            pg.start()
        console.print(f"Postgres  {pg.url()}  [dim]data {pg.data_dir}[/]")
        created = asyncio.run(ensure_databases(pg.url(), missing))
        if created:
            console.print(f"created databases: {', '.join(created)}")
        infra.database_urls |= {name: pg.sqlalchemy_url(name) for name in missing}
    return infra


def _start_gateway(
    options: DevOptions,
    infra: Infra,
    procs: list[ServiceProcess],
    console: Console,
    stack: ExitStack,
) -> None:
    """Envoy in front of the services, on the port chosen in `_start_infra`."""
    gateway = infra.gateway = dev_gateway(
        options.root,
        upstreams=_upstreams(procs),
        port=infra.gateway_port,
        origins=cors_origins(),
    )
    stack.callback(gateway.stop)
    with console.status("starting the gateway (Envoy)…"):
        try:
            gateway.start()
        except (RuntimeError, FileNotFoundError) as exc:
            raise DevError(str(exc)) from exc
    console.print(f"Gateway   {gateway.url}  [dim]/api/<service>/…, log {gateway.log_file}[/]")


def _upstreams(procs: list[ServiceProcess]) -> dict[str, list[str]]:
    """Every replica's base URL, by service."""
    upstreams: dict[str, list[str]] = {}
    for proc in procs:
        upstreams.setdefault(proc.service.name, []).append(proc.base_url)
    return upstreams


def _port(explicit: int | None, default: int, label: str, console: Console) -> int | None:
    """The port asked for (taken: DevError), else `default` if free, else None (any port)."""
    if explicit is not None:
        if port_is_open("127.0.0.1", explicit):
            raise DevError(f"{label}: port {explicit} is already in use; pick another one")
        return explicit
    if port_is_open("127.0.0.1", default):
        console.print(f"[yellow]{label}: port {default} is in use; using a free port instead[/]")
        return None
    return default


def _migrate(options: DevOptions, infra: Infra, console: Console) -> None:
    """Upgrade every service's database to head."""
    for service in options.services:
        with console.status(f"migrating {service.name}…"):
            migrations.upgrade(
                service, root=options.root, database_url=infra.database_urls[service.name]
            )
        console.print(f"migrated  {service.name}")


def _service_env(service: Service, infra: Infra, *, json_logs: bool = False) -> dict[str, str]:
    """Our environment plus the service's database, NATS, dev mode, dev secret, log format."""
    env = dict(os.environ)
    env.update(
        {
            service.env_var("DATABASE_URL"): infra.database_urls[service.name],
            service.env_var("NATS_URL"): infra.nats_url,
            service.env_var("STREAM_REPLICAS"): str(infra.stream_replicas),
            service.env_var("DEV_MODE"): "true",
            service.env_var("JWT_DEV_SECRET"): dev_secret(),
            service.env_var("LOG_FORMAT"): "json" if json_logs else "console",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if service.name == "notifications" and infra.mail is not None:
        env.update(infra.mail.service_env())
    if infra.gateway_port is not None:  # every link in a mail starts at the gateway
        env.setdefault(service.env_var("PUBLIC_BASE_URL"), f"http://127.0.0.1:{infra.gateway_port}")
    return env


def _wait_ready(procs: list[ServiceProcess], infra: Infra, timeout: float) -> dict[str, Readiness]:
    """Poll every `/readyz` until all are ready or `timeout`; fail if anything dies."""
    health: dict[str, Readiness] = {}
    pending = {p.label: p for p in procs}
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
    servers = (("NATS", infra.nats), ("Postgres", infra.postgres), ("Gateway", infra.gateway))
    for label, server in servers:
        if server is not None and not server.running:
            raise DevError(f"{label} exited unexpectedly; see {server.log_file}")


def _raise_if_exited(proc: ServiceProcess, *, during: str) -> None:
    """DevError with the exit code and output tail if `proc` has ended."""
    code = proc.exit_code()
    if code is not None:
        raise DevError(
            f"{proc.label} exited unexpectedly during {during} {how_it_ended(code)}; "
            f"last output:\n{proc.output_tail()}"
        )


def infra_urls(infra: Infra) -> dict[str, str]:
    """Rows for the infrastructure part of the table, with the commands that connect."""
    rows = {"NATS": infra.nats_url, "nats CLI": f"nats --server {infra.nats_url} stream ls"}
    if infra.gateway is not None:
        rows = {"Gateway": infra.gateway.url, **rows}
    if infra.postgres is not None:
        rows["Postgres"] = infra.postgres.url()
        rows["psql"] = f"psql {infra.postgres.url('packs')}"
    return rows
