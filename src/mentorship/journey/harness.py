"""The six services as separate processes on free ports, for the journey tests: each with
its own database and the test's NATS namespace, due jobs ticking every second, mail to a local
SMTP sink; with `replicas=N`, N processes of each (named `packs-1`, `packs-2`, …) sharing its
database. Faults are one call away: `kill(name)` then `start(name)`."""

import io
import os
import signal
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from rich.console import Console

from mentorship.adminapi import check_ready
from mentorship.dev import replica_label
from mentorship.services import SERVICES, Service, repo_root
from mentorship.supervisor import ServiceProcess
from notifications.adapters import mail_sink
from shared.auth_dev import DEV_JWT_SECRET
from shared.embedded.gateway import EmbeddedGateway
from shared.embedded.ports import free_port
from shared.embedded.process import signal_group
from shared.gateway.envoy import JwtSettings
from shared.gateway.routes import RouteTable, default_route_table_path, load_route_table


@dataclass
class SuiteProcesses:
    """Six running services; `urls` maps a process's name to its base URL, `upstreams` a
    service to the base URLs of its replicas (what the gateway is given)."""

    procs: dict[str, ServiceProcess]
    mail: mail_sink.MailSink
    logs: Path
    urls: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.urls = {name: proc.base_url for name, proc in self.procs.items()}

    @property
    def upstreams(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for proc in self.procs.values():
            found.setdefault(proc.service.name, []).append(proc.base_url)
        return found

    def kill(self, name: str) -> None:
        """SIGKILL a service's whole process group: no shutdown, no goodbye."""
        proc = self.procs[name]
        pid = proc.pid
        if pid is not None:
            signal_group(pid, signal.SIGKILL)
        proc.stop(timeout=5)

    def start(self, name: str, *, timeout: float = 60.0) -> None:
        """(Re)start a service and wait until it is ready."""
        self.procs[name].start()
        wait_ready({name: self.procs[name]}, timeout=timeout)

    def log_tail(self) -> str:
        return "\n".join(f"--- {name}\n{proc.output_tail()}" for name, proc in self.procs.items())


def service_env(
    service: Service, *, database_url: str, nats_url: str, namespace: str, extra: dict[str, str]
) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            service.env_var("DATABASE_URL"): database_url,
            service.env_var("NATS_URL"): nats_url,
            service.env_var("NATS_NAMESPACE"): namespace,
            service.env_var("DEV_MODE"): "true",
            service.env_var("JWT_DEV_SECRET"): DEV_JWT_SECRET,
            service.env_var("LOG_FORMAT"): "json",
            service.env_var("JOBS_INTERVAL_SECONDS"): "1",
            service.env_var("OUTBOX_SWEEP_SECONDS"): "0.5",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


@contextmanager
def running_suite(
    *,
    database_urls: dict[str, str],
    nats_url: str,
    namespace: str,
    workdir: Path,
    public_base_url: str,
    extra_env: dict[str, str] | None = None,
    taken_ports: frozenset[int] = frozenset(),
    replicas: int = 1,
) -> Iterator[SuiteProcesses]:
    """Start the six services, `replicas` processes each (ready, or RuntimeError with their
    output), stop them after; `taken_ports` are promised to someone else (the gateway)."""
    quiet = Console(file=io.StringIO(), width=200)
    with ExitStack() as stack:
        mail = mail_sink.start(host="127.0.0.1", port=None, directory=workdir / "mail")
        stack.callback(mail.stop)
        procs: dict[str, ServiceProcess] = {}
        ports = iter(_free_ports(len(SERVICES) * replicas, avoid=taken_ports))
        for service, replica in ((s, k) for s in SERVICES for k in range(replicas)):
            label = replica_label(service, replica, replicas)
            extra = dict(extra_env or {})
            extra[service.env_var("PUBLIC_BASE_URL")] = public_base_url
            if service.name == "notifications":
                extra |= mail.service_env()
            proc = ServiceProcess(
                service,
                port=next(ports),
                env=service_env(
                    service,
                    database_url=database_urls[service.name],
                    nats_url=nats_url,
                    namespace=namespace,
                    extra=extra,
                ),
                cwd=repo_root(),
                log_file=workdir / "logs" / f"{label}.log",
                console=quiet,
                label=label,
            )
            stack.callback(proc.stop)
            proc.start()
            procs[label] = proc
        wait_ready(procs, timeout=90)
        yield SuiteProcesses(procs=procs, mail=mail, logs=workdir / "logs")


@contextmanager
def behind_gateway(
    *,
    database_urls: dict[str, str],
    nats_url: str,
    namespace: str,
    workdir: Path,
    extra_env: dict[str, str] | None = None,
    replicas: int = 1,
    table: RouteTable | None = None,
) -> Iterator[tuple[SuiteProcesses, EmbeddedGateway]]:
    """`running_suite` with the real gateway in front of every replica, on a port of its own:
    the services' links point at it and it verifies their dev tokens. `table` defaults to the
    repository's route table."""
    gateway_port = free_port()
    with running_suite(
        database_urls=database_urls,
        nats_url=nats_url,
        namespace=namespace,
        workdir=workdir,
        public_base_url=f"http://127.0.0.1:{gateway_port}",
        extra_env=extra_env,
        taken_ports=frozenset({gateway_port}),
        replicas=replicas,
    ) as suite:
        with EmbeddedGateway(
            table or load_route_table(default_route_table_path(repo_root())),
            upstreams=suite.upstreams,
            jwt=JwtSettings(dev_secret=DEV_JWT_SECRET),
            port=gateway_port,
            work_dir=workdir / "gateway",
        ) as gateway:
            yield suite, gateway


def _free_ports(count: int, *, avoid: frozenset[int]) -> list[int]:
    """`count` distinct free ports, none of them in `avoid`."""
    ports: list[int] = []
    while len(ports) < count:
        port = free_port()
        if port not in avoid and port not in ports:
            ports.append(port)
    return ports


def wait_ready(procs: dict[str, ServiceProcess], *, timeout: float) -> None:
    """Until every `/readyz` answers 200; RuntimeError (with output) if one dies or is late."""
    pending = dict(procs)
    why: dict[str, str] = {}
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=2.0) as client:
        while pending:
            for name, proc in list(pending.items()):
                if proc.exit_code() is not None:
                    raise RuntimeError(f"{name} exited: {proc.output_tail()}")
                readiness = check_ready(client, proc.base_url)
                if readiness.ready:
                    del pending[name]
                why[name] = readiness.detail
            if pending and time.monotonic() > deadline:
                tails = "\n".join(
                    f"--- {n} ({why.get(n, '?')})\n{p.output_tail()}" for n, p in pending.items()
                )
                raise RuntimeError(f"not ready after {timeout:.0f}s: {sorted(pending)}\n{tails}")
            time.sleep(0.2)
