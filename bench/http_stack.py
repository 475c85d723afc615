"""A service's HTTP stack against its floor: `GET /healthz` of packs (every kernel middleware,
the broker and the pool started) and of a bare FastAPI app, in the same run.

Starts embedded NATS and Postgres, migrates a packs database and runs packs under uvicorn in
its own process, as the kernel starts it (`shared.http.server`: uvloop + httptools); the floor
is `bench/bare_app.py` under uvicorn with uvloop + httptools, started the same way. Each round
drives each, in rotated order, from `--connections` keep-alive connections (bench/raw_http.py,
on uvloop too, so that the client costs as little CPU as it can on this machine). Prints req/s,
p50 and p99 of each, the ratios against the targets of issue 19 (≥ 60% of the floor's rate,
p99 ≤ 3× p50), each server's CPU per request and while idle, and /proc/loadavg with each
figure. `--service-stack` names one packs process per stack, measured in the same rotation:
`kernel` (the default), `httptools` (uvicorn's own protocol, without the kernel's bound on the
request head) and `asyncio-h11` (uvicorn's pure-Python stack, how the services ran before
decision 0024).

    uv run python bench/http_stack.py [--requests 40000] [--connections 32] [--rounds 4]
                                      [--service-stack kernel [httptools asyncio-h11]]
"""

import argparse
import asyncio
import subprocess
import sys
import time
from pathlib import Path

import httpx
import uvloop

from packs.main import ALEMBIC_INI
from shared.embedded import EmbeddedPostgres
from shared.http.server import UVICORN_OPTIONS

sys.path.insert(0, str(Path(__file__).parent))
from harness import (  # noqa: E402
    cpu_seconds,
    create_databases,
    free_port,
    start_server,
    wait_ready,
    with_embedded,
)
from raw_http import Connection  # noqa: E402
from stats import percentile, rotated  # noqa: E402

FLOOR_OPTIONS = ("--loop", "uvloop", "--http", "httptools", "--no-access-log")
STACKS = {
    "kernel": UVICORN_OPTIONS,  # uvloop + httptools with the bound on the request head
    "httptools": FLOOR_OPTIONS,  # uvloop + uvicorn's own httptools protocol
    "asyncio-h11": ("--loop", "asyncio", "--http", "h11"),  # before decision 0024
}
FLOOR = "bare FastAPI, uvloop + httptools"
TARGET_RATIO, TARGET_TAIL = 0.60, 3.0
IDLE_SECONDS = 3.0  # the servers' CPU with no request: the runtime's own background work


def loadavg() -> str:
    return Path("/proc/loadavg").read_text().strip()


def start_floor(port: int) -> subprocess.Popen[bytes]:
    """bench/bare_app.py under plain uvicorn with uvloop + httptools."""
    command = [
        sys.executable, "-m", "uvicorn", "--factory", "bare_app:create_app",
        "--app-dir", str(Path(__file__).parent),
        "--host", "127.0.0.1", "--port", str(port), *FLOOR_OPTIONS,
        "--timeout-keep-alive", "120", "--log-level", "warning",
    ]  # fmt: skip
    return subprocess.Popen(command)


async def measure(port: int, *, connections: int, count: int) -> tuple[list[float], float]:
    """Latencies (s) of `count` GET /healthz over `connections` keep-alive connections, and
    the wall time of all of them."""
    opened = [Connection(port) for _ in range(connections)]
    latencies: list[float] = []

    async def drive(connection: Connection) -> None:
        for _ in range(count // connections):
            started = time.perf_counter()
            status, body = await connection.request("GET", "/healthz")
            latencies.append(time.perf_counter() - started)
            if status != 200:
                raise RuntimeError(f"GET /healthz on :{port}: HTTP {status} {body[:200]!r}")

    began = time.perf_counter()
    try:
        await asyncio.gather(*(drive(c) for c in opened))
    finally:
        for connection in opened:
            await connection.close()
    return latencies, time.perf_counter() - began


async def run(args: argparse.Namespace, nats_url: str, postgres: EmbeddedPostgres) -> None:
    await create_databases(postgres, {"packs_bench": ALEMBIC_INI})
    services = {f"packs on {stack}": stack for stack in args.service_stack}
    ports = {name: free_port() for name in [*services, FLOOR]}
    servers = [
        start_server(
            "packs",
            port=ports[name],
            database_url=postgres.sqlalchemy_url("packs_bench"),
            nats_url=nats_url,
            uvicorn_options=STACKS[stack],
        )
        for name, stack in services.items()
    ] + [start_floor(ports[FLOOR])]
    samples: dict[str, list[float]] = {name: [] for name in ports}
    seconds = dict.fromkeys(ports, 0.0)
    cpu = dict.fromkeys(ports, 0.0)  # the server process' own CPU time while it was driven
    per_round = args.requests // args.rounds
    try:
        for port, server in zip(ports.values(), servers, strict=True):
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
                await wait_ready(client, server)
        for port in ports.values():  # warm-up: connections, caches, the first full collections
            await measure(port, connections=args.connections, count=args.connections * 50)
        pids = dict(zip(ports, (server.pid for server in servers), strict=True))
        idle = {name: cpu_seconds(pid) for name, pid in pids.items()}
        await asyncio.sleep(IDLE_SECONDS)
        idle = {name: cpu_seconds(pid) - idle[name] for name, pid in pids.items()}
        for round_ in range(args.rounds):
            for name in rotated(list(ports), round_):
                before = cpu_seconds(pids[name])
                latencies, wall = await measure(
                    ports[name], connections=args.connections, count=per_round
                )
                cpu[name] += cpu_seconds(pids[name]) - before
                samples[name] += latencies
                seconds[name] += wall
                print(
                    f"  round {round_ + 1} {name:<34} {len(latencies) / wall:8.0f} req/s"
                    f"  loadavg {loadavg()}"
                )
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)

    print(
        f"\nGET /healthz, {args.connections} keep-alive connections, {args.rounds} interleaved"
        f" rounds of {per_round} requests each (loopback)\n"
    )
    rates = {name: len(samples[name]) / seconds[name] for name in ports}
    for name, latencies in samples.items():
        p50, p99 = (percentile(latencies, q) * 1000 for q in (50, 99))
        print(
            f"{name:<36} {rates[name]:8.0f} req/s  p50 {p50:7.3f} ms  p99 {p99:7.3f} ms"
            f"  p99/p50 {p99 / p50:5.2f}  server CPU {cpu[name] / len(latencies) * 1e6:4.0f} µs/req"
            f"  idle {idle[name] / IDLE_SECONDS:4.1%}"
        )
    for name in services:
        ratio = rates[name] / rates[FLOOR]
        tail = percentile(samples[name], 99) / percentile(samples[name], 50)
        print(
            f"{name}: {ratio:.0%} of the floor's rate (target ≥ {TARGET_RATIO:.0%}),"
            f" p99 {tail:.2f}× its p50 (target ≤ {TARGET_TAIL:g}×)"
        )
    print(f"/proc/loadavg at the end: {loadavg()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40_000)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument(
        "--service-stack", nargs="+", choices=list(STACKS), default=["kernel"], metavar="STACK"
    )
    args = parser.parse_args()
    print(f"/proc/loadavg at the start: {loadavg()}")
    uvloop.run(with_embedded(run, args, fast=True))


if __name__ == "__main__":
    main()
