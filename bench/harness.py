"""Servers and seeds shared by the benchmarks: embedded NATS + Postgres, services under uvicorn."""

import argparse
import asyncio
import os
import resource
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from pathlib import Path

import asyncpg
import httpx

from packs.adapters.unit_of_work import SqlPacksUnitOfWork
from packs.service_layer.fulfil_purchase import fulfil_purchase
from shared.embedded import EmbeddedNats, EmbeddedPostgres
from shared.http.server import UVICORN_OPTIONS
from shared.messaging.events import PackShape, PaymentSucceeded
from shared.migrate import upgrade_to_head

NAMESPACE = "bench"

Run = Callable[[argparse.Namespace, str, EmbeddedPostgres], Awaitable[None]]


async def with_embedded(run: Run, args: argparse.Namespace, *, fast: bool = False) -> None:
    """`run(args, nats_url, postgres)` on throwaway embedded NATS and Postgres servers."""
    with (
        tempfile.TemporaryDirectory() as workdir,
        EmbeddedNats(Path(workdir) / "nats") as nats_server,
        EmbeddedPostgres(Path(workdir) / "pg", fast=fast) as postgres,
    ):
        await run(args, nats_server.url, postgres)


async def create_databases(postgres: EmbeddedPostgres, databases: dict[str, Path]) -> None:
    """Create each database and migrate it to head with its service's alembic.ini."""
    admin = await asyncpg.connect(postgres.url())
    for name in databases:
        await admin.execute(f"CREATE DATABASE {name}")
    await admin.close()
    for name, alembic_ini in databases.items():
        await asyncio.to_thread(upgrade_to_head, alembic_ini, postgres.sqlalchemy_url(name))


def cpu_seconds(pid: int | None = None) -> float:
    """CPU time (user + system) of a process so far (this one without `pid`; Linux /proc)."""
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(
    service: str,
    *,
    port: int,
    database_url: str,
    nats_url: str,
    uvicorn_options: Sequence[str] = UVICORN_OPTIONS,
    **extra: str,
) -> subprocess.Popen[bytes]:
    """The service under uvicorn in its own process, started as the kernel starts it
    (`uvicorn_options`); `extra` settings become `<SERVICE>_<KEY>`."""
    prefix = service.upper()
    env = {
        **os.environ,
        f"{prefix}_DEV_MODE": "true",
        f"{prefix}_DATABASE_URL": database_url,
        f"{prefix}_NATS_URL": nats_url,
        f"{prefix}_NATS_NAMESPACE": NAMESPACE,
        f"{prefix}_JOBS_ENABLED": "false",
        f"{prefix}_LOG_LEVEL": "WARNING",
        **{f"{prefix}_{key.upper()}": value for key, value in extra.items()},
    }
    command = [
        sys.executable, "-m", "uvicorn", "--factory", f"{service}.main:create_app",
        "--host", "127.0.0.1", "--port", str(port), *uvicorn_options, "--no-access-log",
        "--timeout-keep-alive", "120",  # the callers' connections stay open between rounds
        "--log-level", "warning",
    ]  # fmt: skip
    return subprocess.Popen(command, env=env)


async def wait_ready(client: httpx.AsyncClient, server: subprocess.Popen[bytes]) -> None:
    async with asyncio.timeout(60):
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"a service exited with {server.returncode}")
            try:
                if (await client.get("/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)


async def seed_packs(
    runtime, deps, students: list[str], *, mentor: str, paid_at: datetime, pack: PackShape
) -> None:
    """One paid pack (and its seat) per student with `mentor`, through the packs use case."""
    for student in students:
        purchase = PaymentSucceeded(
            order_id=uuid.uuid4(),
            student_id=student,
            mentor_id=mentor,
            product_id=uuid.uuid4(),
            amount=1,
            currency="EUR",
            provider="stripe",
            paid_at=paid_at,
            pack=pack,
        )
        async with runtime.uow() as uow:
            await fulfil_purchase(purchase, uow=SqlPacksUnitOfWork(uow), deps=deps)
            await uow.commit()
