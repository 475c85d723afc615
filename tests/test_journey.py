"""The whole product, end to end: six services as separate processes behind the real gateway,
walked by the demo's own steps — purchase, booking, meeting, completions, grace, renewal and
refund — asserted through public HTTP and the delivered mail; then the same walk while a
neighbour fails (a consumer SIGKILLed, NATS stopped for 10 s, one service's Postgres
restarted), with every effect once."""

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import pytest

from mentorship.journey.cast import Cast, Journey
from mentorship.journey.harness import SuiteProcesses, behind_gateway
from mentorship.journey.steps import STEPS
from mentorship.journey.suite import Suite
from mentorship.services import SERVICES, repo_root
from shared.auth_dev import DEV_JWT_SECRET
from shared.embedded import EmbeddedNats, EmbeddedPostgres, free_port
from shared.testing.databases import DatabaseFactory

pytestmark = pytest.mark.timeout(600)

Fault = Callable[[SuiteProcesses], None]


def alembic_ini(service: str) -> Path:
    return repo_root() / "services" / service / "alembic.ini"


async def fresh_databases(databases: DatabaseFactory) -> dict[str, str]:
    urls = {}
    for service in SERVICES:
        _, urls[service.name] = await databases.create(alembic_ini(service.name))
    return urls


@asynccontextmanager
async def product(
    *,
    database_urls: dict[str, str],
    nats_url: str,
    namespace: str,
    workdir: Path,
    extra_env: dict[str, str] | None = None,
) -> AsyncIterator[tuple[SuiteProcesses, str]]:
    """The six services and the gateway in front of them; (processes, gateway base URL)."""
    with behind_gateway(
        database_urls=database_urls,
        nats_url=nats_url,
        namespace=namespace,
        workdir=workdir,
        extra_env=extra_env,
    ) as (suite, gateway):
        yield suite, gateway.url


def walk(base_url: str, *, faults: dict[int, Fault] | None = None, suite=None) -> Journey:
    """Every step of the journey in order; a fault, if any, starts in the background just
    before the step of that number and must be over by the end of the walk."""
    client = Suite(base_url, DEV_JWT_SECRET)
    journey = Journey(suite=client, cast=Cast.fresh())
    running: list[threading.Thread] = []
    failures: list[BaseException] = []
    try:
        for number, step in enumerate(STEPS, 1):
            if faults and number in faults:
                running.append(_in_background(faults[number], suite, failures))
            step.run(journey)
            for thread in running:
                thread.join(timeout=120)
            assert not failures, f"a fault injection failed: {failures}"
    finally:
        client.close()
    return journey


def _in_background(fault: Fault, suite, failures: list[BaseException]) -> threading.Thread:
    def run() -> None:
        try:
            fault(suite)
        except BaseException as exc:  # reported by the walk
            failures.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


async def test_the_whole_product_walks_through_the_gateway(
    databases, nats_url, namespace, tmp_path
):
    urls = await fresh_databases(databases)
    async with product(
        database_urls=urls,
        nats_url=nats_url,
        namespace=namespace,
        workdir=tmp_path,
    ) as (suite, base_url):
        journey = await asyncio.to_thread(walk, base_url)
    assert journey.suite.retries == 0  # nothing failed, so no call had to be retried
    assert sum(journey.resent_mails.values()) == 0  # and no mail came twice


# --- the same walk with faults in a neighbour -----------------------------------------------


@contextmanager
def own_nats(workdir: Path) -> Iterator[EmbeddedNats]:
    """A NATS of this test alone, on a fixed port, so that it can be stopped and restarted
    with its JetStream store."""
    server = EmbeddedNats(workdir / "nats", port=free_port())
    with server:
        yield server


@contextmanager
def own_postgres() -> Iterator[EmbeddedPostgres]:
    """A Postgres of one service alone; its own temp dir (as root, the Postgres user must be
    able to enter it, which pytest's tmp_path does not allow)."""
    server = EmbeddedPostgres(port=free_port(), fast=True)
    with server:
        yield server


def kill_and_restart(name: str, *, down_for: float = 2.0) -> Fault:
    def fault(suite: SuiteProcesses) -> None:
        suite.kill(name)
        time.sleep(down_for)
        suite.start(name)

    return fault


def stop_nats(server: EmbeddedNats, *, down_for: float = 10.0) -> Fault:
    def fault(_suite: SuiteProcesses) -> None:
        server._stop_process()
        time.sleep(down_for)
        server.start()

    return fault


def restart_postgres(server: EmbeddedPostgres) -> Fault:
    def fault(_suite: SuiteProcesses) -> None:
        server._stop_process()
        time.sleep(2.0)
        server.start()

    return fault


async def test_every_effect_happens_once_while_neighbours_fail(databases, namespace, tmp_path):
    with own_nats(tmp_path) as nats, own_postgres() as packs_postgres:
        urls = await fresh_databases(databases)
        packs_db = DatabaseFactory(packs_postgres.url())
        _, urls["packs"] = await packs_db.create(alembic_ini("packs"))
        async with product(
            database_urls=urls,
            nats_url=nats.url,
            namespace=namespace,
            workdir=tmp_path,
            # A send killed after the SMTP server took it is sent again when its lease ends.
            extra_env={"NOTIFICATIONS_SEND_LEASE_SECONDS": "5"},
        ) as (suite, base_url):
            faults = {
                4: kill_and_restart("notifications"),  # a consumer, mid-journey
                6: stop_nats(nats),  # during bookings and completions
                7: restart_postgres(packs_postgres),  # during the renewal
            }
            journey = await asyncio.to_thread(walk, base_url, faults=faults, suite=suite)
    # The last step reconciled paid orders, packs, credits, sessions and mails: once each.
    assert journey.suite.retries > 0, "the faults were not felt: nothing was retried"
