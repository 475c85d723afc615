"""`POST /v1/sessions/{id}/token` over HTTP against the raw floor: the token builder alone.

Starts embedded NATS and Postgres, migrates a video database, seeds one scheduled session per
caller (each caller is that session's student), and runs the real video service under uvicorn
in its own process on loopback. Callers are httpx clients on keep-alive connections. Each
request verifies the caller's JWT, reads the session, builds the token and commits its audit
row. The floor is `RtcTokenBuilder.buildTokenWithUid` called directly in this process; the
HTTP stack's own floor (`/healthz` on the same server) is printed too. Each caller drives its
own keep-alive connection with h11 (uvicorn's HTTP/1.1 library): httpx's pool costs more CPU
per request than the service on this 2-core machine and would be measured instead.

    uv run python bench/video_tokens.py [--requests 3200] [--callers 32] [--rounds 4]
                                         [--fast-postgres]
"""

import argparse
import asyncio
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import h11
import httpx

from shared.auth_dev import DEV_JWT_SECRET, mint_dev_token
from shared.db import make_connection_factory, make_engine
from shared.embedded import EmbeddedPostgres
from shared.messaging.events import Envelope, SessionBooked
from video.adapters.agora import rtc_token
from video.adapters.tables import sessions
from video.config import Settings
from video.main import ALEMBIC_INI
from video.service_layer.project_session import project_fact

sys.path.insert(0, str(Path(__file__).parent))
from harness import (  # noqa: E402
    cpu_seconds,
    create_databases,
    free_port,
    start_server,
    wait_ready,
    with_embedded,
)
from stats import durability, p50, print_row, rotated  # noqa: E402

MENTOR = "mentor-bench"


async def seed(database_url: str, callers: int) -> list[tuple[uuid.UUID, str]]:
    """One session per caller, started a minute ago and lasting two hours: inside its window."""
    engine = make_engine(database_url)
    connect = make_connection_factory(engine)
    now = datetime.now(UTC)
    seeded = []
    async with connect() as connection:
        for n in range(callers):
            booked = SessionBooked(
                session_id=uuid.uuid4(),
                mentor_id=MENTOR,
                student_id=f"student-{n}",
                pack_id=uuid.uuid4(),
                starts_at=now - timedelta(minutes=1),
                ends_at=now + timedelta(hours=2),
                join_url="https://example.test/join",
                mentor_timezone="Europe/Paris",
            )
            envelope = Envelope.wrap(booked, producer="booking", occurred_at=now)
            await project_fact(connection, sessions, envelope)
            seeded.append((booked.session_id, booked.student_id))
        await connection.commit()
    await engine.dispose()
    return seeded


class Caller:
    """One keep-alive HTTP/1.1 connection, one request at a time (h11 over asyncio streams)."""

    def __init__(self, port: int) -> None:
        self._port = port
        self._connection = h11.Connection(our_role=h11.CLIENT)
        self._reader: asyncio.StreamReader
        self._writer: asyncio.StreamWriter

    async def open(self) -> "Caller":
        self._reader, self._writer = await asyncio.open_connection("127.0.0.1", self._port)
        return self

    async def call(self, method: str, path: str, headers: dict[str, str]) -> int:
        """The response status; the body is read and dropped."""
        fields = [("Host", "127.0.0.1"), ("Content-Length", "0"), *headers.items()]
        self._writer.write(
            self._connection.send(h11.Request(method=method, target=path, headers=fields))
            + self._connection.send(h11.EndOfMessage())
        )
        status = 0
        while True:
            event = self._connection.next_event()
            if event is h11.NEED_DATA:
                self._connection.receive_data(await self._reader.read(65536))
            elif isinstance(event, h11.Response):
                status = event.status_code
            elif isinstance(event, h11.EndOfMessage):
                self._connection.start_next_cycle()
                return status

    async def close(self) -> None:
        self._writer.close()
        await self._writer.wait_closed()


async def measure_http(
    port: int, calls: list[tuple[str, str, dict[str, str]]], requests: int
) -> tuple[list[float], float]:
    """Latencies (s) of `requests` calls spread over one connection per caller, and wall time."""
    per_caller = requests // len(calls)
    callers = [await Caller(port).open() for _ in calls]
    latencies: list[float] = []

    async def run_caller(caller: Caller, method: str, path: str, headers: dict[str, str]) -> None:
        for _ in range(per_caller):
            started = time.perf_counter()
            status = await caller.call(method, path, headers)
            latencies.append(time.perf_counter() - started)
            if status != 200:
                raise RuntimeError(f"{method} {path}: HTTP {status}")

    started = time.perf_counter()
    await asyncio.gather(
        *(run_caller(caller, *call) for caller, call in zip(callers, calls, strict=True))
    )
    elapsed = time.perf_counter() - started
    for caller in callers:
        await caller.close()
    return latencies, elapsed


def measure_floor(requests: int) -> tuple[list[float], float]:
    app = Settings(dev_mode=True).agora()
    expires = datetime.now(UTC) + timedelta(hours=2)
    latencies = []
    started = time.perf_counter()
    for n in range(requests):
        began = time.perf_counter()
        rtc_token(app, channel="s" + "0" * 40, uid=n + 1, expires_at=expires)
        latencies.append(time.perf_counter() - began)
    return latencies, time.perf_counter() - started


async def run(args, nats_url: str, postgres: EmbeddedPostgres) -> None:
    await create_databases(postgres, {"video_bench": ALEMBIC_INI})
    database_url = postgres.sqlalchemy_url("video_bench")
    seeded = await seed(database_url, args.callers)
    port = free_port()
    # Rate limits off: 32 callers asking again and again would meet the per-user token limit
    # (3/s) at once; the limiter's own cost is bench/limits_overhead.py's subject.
    server = start_server(
        "video",
        port=port,
        database_url=database_url,
        nats_url=nats_url,
        rate_limits_enabled="false",
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            await wait_ready(client, server)
        token_calls = [
            (
                "POST",
                f"/v1/sessions/{session_id}/token",
                {
                    "Authorization": "Bearer "
                    + mint_dev_token(user_id=student, role="student", secret=DEV_JWT_SECRET)
                },
            )
            for session_id, student in seeded
        ]
        variants = {
            "token": token_calls,
            "token, one caller": token_calls[:1],
            "healthz": [("GET", "/healthz", {})] * args.callers,
        }
        for calls in variants.values():
            await measure_http(port, calls, max(len(calls) * 5, args.requests // 10))
        samples: dict[str, list[float]] = {name: [] for name in variants}
        seconds = dict.fromkeys(variants, 0.0)
        server_cpu = dict.fromkeys(variants, 0.0)
        names = list(variants)
        per_round = args.requests // args.rounds
        for round_ in range(args.rounds):
            for name in rotated(names, round_):
                count = per_round if len(variants[name]) > 1 else per_round // 8
                cpu_before = cpu_seconds(server.pid)
                latencies, elapsed = await measure_http(port, variants[name], count)
                server_cpu[name] += cpu_seconds(server.pid) - cpu_before
                samples[name] += latencies
                seconds[name] += elapsed
    finally:
        server.terminate()
        server.wait(timeout=30)
    floor, floor_seconds = measure_floor(args.requests)

    def rate(name: str) -> float:
        return len(samples[name]) / seconds[name]

    print(
        f"\nvideo token issue over HTTP (uvicorn, own process, loopback): {args.rounds}"
        f" interleaved rounds, {args.callers} concurrent callers,"
        f" Postgres with {durability(args.fast_postgres)}\n"
    )
    print_row("floor: RtcTokenBuilder.buildTokenWithUid", floor, len(floor) / floor_seconds)
    print_row(
        f"HTTP floor: GET /healthz, {args.callers} callers", samples["healthz"], rate("healthz")
    )
    print_row("POST token, 1 caller", samples["token, one caller"], rate("token, one caller"))
    print_row(f"POST token, {args.callers} callers", samples["token"], rate("token"))
    for name in ("healthz", "token"):
        per_request = server_cpu[name] / len(samples[name]) * 1000
        print(f"server CPU per request, {name}: {per_request:.2f} ms (less sensitive to load)")
    print(
        f"\nPOST token rate with {args.callers} callers: {rate('token') / rate('healthz'):.0%}"
        " of the same server's /healthz rate (target >= 60%)"
    )
    token_p50 = p50(samples["token"]) * 1000
    print(
        f"\nPOST token p50 with {args.callers} callers: {token_p50:.3f} ms (target <= 2 ms);"
        f" ratio to the builder floor {p50(samples['token']) / p50(floor):.0f}x,"
        f" to the HTTP floor {p50(samples['token']) / p50(samples['healthz']):.2f}x"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3200)
    parser.add_argument("--callers", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument(
        "--fast-postgres",
        action="store_true",
        help="fsync off: isolates the service's own cost from disk flushes",
    )
    args = parser.parse_args()
    await with_embedded(run, args, fast=args.fast_postgres)


if __name__ == "__main__":
    asyncio.run(main())
