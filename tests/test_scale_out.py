"""Scale out for real (issue 20, decision 0034): two processes of every service behind the
gateway, on a three-node NATS cluster with the domain stream at R3, walked by the journey
while the NATS meta leader is SIGKILLed and brought back, one replica of each service is
SIGKILLed in turn, and a NATS node is paused (a partition) — then every effect happened once:
the journey's own reconciliation (paid orders = packs, completed sessions = consumed credits,
each mail once) and bench/load_checks.py's SQL post-checks (no double booking, credits
consistent, every event published and taken once by each consumer, one delivery per
(event, channel, recipient), no dead letters, no unpublished outbox row), and no due job
acted twice on one row (one reminder per session and offset, one grace warning per grace).

Heavy (12 service processes and 3 NATS nodes on 2 cores, ~2 minutes): part of `make test` and
so of CI; `make test-cluster` runs it alone with the cluster's own kernel tests."""

import asyncio
import io
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, redirect_stdout
from pathlib import Path

import nats
import pytest

from mentorship.journey.cast import Cast, Journey
from mentorship.journey.harness import SuiteProcesses, behind_gateway
from mentorship.journey.steps import STEPS
from mentorship.journey.suite import Suite
from mentorship.services import SERVICES, repo_root
from shared.auth_dev import DEV_JWT_SECRET
from shared.embedded import EmbeddedNatsCluster
from shared.messaging.stream import stream_name
from shared.testing.databases import DatabaseFactory

sys.path.insert(0, str(repo_root() / "bench"))
import load_checks  # noqa: E402

pytestmark = pytest.mark.timeout(900)

REPLICAS = 2
Fault = Callable[[], str]  # does its harm, undoes it, says what it measured


async def fresh_databases(databases: DatabaseFactory) -> dict[str, str]:
    urls = {}
    for service in SERVICES:
        ini = repo_root() / "services" / service.name / "alembic.ini"
        _, urls[service.name] = await databases.create(ini)
    return urls


@asynccontextmanager
async def replicated_product(
    *, database_urls: dict[str, str], nats_url: str, namespace: str, workdir: Path
) -> AsyncIterator[tuple[SuiteProcesses, str]]:
    """Two processes of each service, the stream at R3, the gateway over every replica."""
    stream = {service.env_var("STREAM_REPLICAS"): "3" for service in SERVICES}
    with behind_gateway(
        database_urls=database_urls,
        nats_url=nats_url,
        namespace=namespace,
        workdir=workdir,
        # A send killed after the SMTP server took it is sent again when its lease ends.
        extra_env={**stream, "NOTIFICATIONS_SEND_LEASE_SECONDS": "5"},
        replicas=REPLICAS,
    ) as (suite, gateway):
        yield suite, gateway.url


def kill_nats_leader(cluster: EmbeddedNatsCluster, *, down_for: float = 5.0) -> Fault:
    def fault() -> str:
        leader = cluster.meta_leader() or "n1"
        index = cluster.index_of(leader)
        cluster.kill(index)
        time.sleep(down_for)
        started = time.monotonic()
        cluster.start_node(index)
        return (
            f"NATS meta leader {leader} SIGKILLed, down {down_for:.0f} s; back and current "
            f"{time.monotonic() - started:.1f} s after its restart"
        )

    return fault


def pause_nats_node(cluster: EmbeddedNatsCluster, *, paused_for: float = 5.0) -> Fault:
    def fault() -> str:
        leader = cluster.meta_leader()
        index = next(i for i in range(len(cluster.nodes)) if cluster.node_name(i) != leader)
        cluster.pause(index)
        time.sleep(paused_for)
        cluster.resume(index)
        started = time.monotonic()
        cluster.wait_until_ready()
        return (
            f"NATS node {cluster.node_name(index)} paused {paused_for:.0f} s (a partition); "
            f"current again {time.monotonic() - started:.1f} s after it continued"
        )

    return fault


def kill_replica(suite: SuiteProcesses, label: str, *, down_for: float = 2.0) -> Fault:
    def fault() -> str:
        suite.kill(label)
        time.sleep(down_for)
        started = time.monotonic()
        suite.start(label, timeout=120)
        return (
            f"{label} SIGKILLed, down {down_for:.0f} s; ready again "
            f"{time.monotonic() - started:.1f} s after its restart"
        )

    return fault


def walk_with_faults(base_url: str, faults: dict[int, Fault]) -> tuple[Journey, list[str]]:
    """The journey's steps in order; a step's fault runs in the background while it runs."""
    client = Suite(base_url, DEV_JWT_SECRET)
    journey = Journey(suite=client, cast=Cast.fresh())
    report: list[str] = []
    try:
        for number, step in enumerate(STEPS, 1):
            said: list[str] = []
            failed: list[BaseException] = []
            thread = None
            if number in faults:
                thread = threading.Thread(target=_run, args=(faults[number], said, failed))
                thread.start()
            started, retries = time.monotonic(), client.retries
            step.run(journey)
            if thread is not None:
                thread.join(timeout=180)
                assert not thread.is_alive(), f"the fault of step {number} did not end"
            assert not failed, f"the fault of step {number} failed: {failed}"
            report.append(
                f"step {number} {step.title!r}: {time.monotonic() - started:.1f} s, "
                f"{client.retries - retries} retried calls" + (f"; {said[0]}" if said else "")
            )
    finally:
        client.close()
    return journey, report


def _run(fault: Fault, said: list[str], failed: list[BaseException]) -> None:
    try:
        said.append(fault())
    except BaseException as exc:  # reported by the walk
        failed.append(exc)


async def test_every_effect_happens_once_with_two_replicas_while_nodes_and_replicas_die(
    databases, namespace, tmp_path
):
    with EmbeddedNatsCluster(nodes=3, data_dir=tmp_path / "nats") as cluster:
        urls = await fresh_databases(databases)
        async with replicated_product(
            database_urls=urls, nats_url=cluster.url, namespace=namespace, workdir=tmp_path
        ) as (suite, base_url):
            assert all(len(replicas) == REPLICAS for replicas in suite.upstreams.values())
            faults = {
                2: kill_nats_leader(cluster),
                3: kill_replica(suite, "payments-1"),
                4: kill_replica(suite, "packs-1"),
                5: kill_replica(suite, "video-1"),
                6: kill_replica(suite, "booking-1"),
                7: kill_replica(suite, "notifications-1"),
                8: kill_replica(suite, "search-1"),
                9: pause_nats_node(cluster),
            }
            journey, report = await asyncio.to_thread(walk_with_faults, base_url, faults)
            replicas, peers = await stream_copies(cluster, namespace)
            printed = io.StringIO()
            with redirect_stdout(printed):
                settled = await load_checks.checks(
                    {
                        name: url.replace("postgresql+asyncpg://", "postgresql://", 1)
                        for name, url in urls.items()
                    }
                )
    print("\n" + "\n".join(report) + printed.getvalue())
    assert settled, printed.getvalue()
    # The last step reconciled paid orders, packs, credits, sessions and mails: once each.
    assert len(report) == len(STEPS)
    assert sum(";" in line for line in report) == len(faults)  # every fault ran and said so
    assert (replicas, peers) == (3, 2), "the services did not put the stream at R3"
    ran, twice = await due_job_events(urls)
    assert ran["session.reminder_due"] and ran["seat.grace_expiring"], ran  # the jobs ran
    assert twice == {}, f"a due job ran twice for the same row: {twice}"


# Events only a due job records, and what makes one of them once per row: a second event with
# the same key means two replicas (or two ticks) both acted on that row.
DUE_JOB_EVENTS = {
    "booking": {"session.reminder_due": ("session_id", "offset_minutes")},
    "packs": {"seat.grace_expiring": ("seat_id", "grace_ends_at"), "pack.expired": ("pack_id",)},
}


async def due_job_events(urls: dict[str, str]) -> tuple[dict[str, int], dict[str, int]]:
    """(events of each due-job type, keys recorded more than once) in the producers' outboxes."""
    ran: dict[str, int] = {}
    twice: dict[str, int] = {}
    for service, kinds in DUE_JOB_EVENTS.items():
        url = urls[service].replace("postgresql+asyncpg://", "postgresql://", 1)
        for kind, key in kinds.items():
            fields = ", ".join(f"envelope->'data'->>'{name}'" for name in key)
            rows = await load_checks.fetch(
                url,
                f"SELECT count(*) AS n FROM outbox WHERE envelope->>'type' = '{kind}' "
                f"GROUP BY {fields}",
            )
            ran[kind] = sum(row["n"] for row in rows)
            if repeated := sum(1 for row in rows if row["n"] > 1):
                twice[kind] = repeated
    return ran, twice


async def stream_copies(cluster: EmbeddedNatsCluster, namespace: str) -> tuple[int, int]:
    """The domain stream's replicas as configured, and the peers its leader has."""
    connection = await nats.connect(cluster.urls)
    try:
        info = await connection.jetstream().stream_info(stream_name(namespace))
    finally:
        await connection.close()
    peers = len(info.cluster.replicas or ()) if info.cluster is not None else 0
    return info.config.num_replicas or 1, peers
