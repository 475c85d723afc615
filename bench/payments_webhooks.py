"""Stripe webhook ingestion over HTTP against the raw floor: signature check + bare insert.

Starts embedded NATS and Postgres, migrates a payments and a packs database, seeds one
pending order per event, and runs the real payments and packs services under uvicorn, each
in its own process on loopback. Callers are plain HTTP/1.1 keep-alive connections posting
`checkout.session.completed` events signed the way Stripe signs them; payments verifies,
stores the raw event in the request's transaction, answers, then processes it from the store
(`payment.succeeded` through the outbox), and packs turns it into `pack.purchased`.

Figures: accepted/s and latency of the webhook POST; webhook → `pack.purchased` latency (seen
on JetStream by this process), under load and one at a time; the floor, in this process at
the same concurrency: `stripe.WebhookSignature.verify_header` + one asyncpg INSERT of the raw
event into the same table; and `/healthz` on the same server (the HTTP stack alone).

    uv run python bench/payments_webhooks.py [--requests 3200] [--callers 32] [--rounds 4]
                                              [--fast-postgres]
"""

import argparse
import asyncio
import json
import sys
import time
import uuid
from pathlib import Path

import asyncpg
import httpx
import stripe

from packs.main import ALEMBIC_INI as PACKS_ALEMBIC_INI
from payments.main import ALEMBIC_INI as PAYMENTS_ALEMBIC_INI
from shared.embedded import EmbeddedPostgres

sys.path.insert(0, str(Path(__file__).parent))
from harness import (  # noqa: E402
    cpu_seconds,
    create_databases,
    free_port,
    start_server,
    wait_ready,
    with_embedded,
)
from payments_fixtures import SECRET, PurchaseWatch, seed_orders, signed_event  # noqa: E402
from raw_http import Connection  # noqa: E402
from stats import durability, percentile, print_row  # noqa: E402

POOL_SIZE = 10


async def post_webhooks(
    connections: list[Connection], orders: list[uuid.UUID], sent: dict[str, float]
) -> tuple[list[float], float]:
    """Latencies (s) of one signed webhook per order, one caller per connection, wall time."""
    queue = list(orders)
    latencies: list[float] = []

    async def caller(connection: Connection) -> None:
        while queue:
            order_id = queue.pop()
            body, header = signed_event(order_id)
            started = time.perf_counter()
            sent[str(order_id)] = started
            status, answer = await connection.request(
                "POST",
                "/v1/webhooks/stripe",
                body=body,
                headers={"Stripe-Signature": header, "Content-Type": "application/json"},
            )
            latencies.append(time.perf_counter() - started)
            if status != 200:
                raise RuntimeError(f"webhook refused: {status} {answer!r}")

    started = time.perf_counter()
    await asyncio.gather(*(caller(c) for c in connections))
    return latencies, time.perf_counter() - started


async def floor(pool: asyncpg.Pool, orders: list[uuid.UUID], callers: int):
    """Signature check + bare INSERT of the raw event, `callers` at a time, in this process."""
    queue = list(orders)
    latencies: list[float] = []

    async def caller() -> None:
        while queue:
            body, header = signed_event(queue.pop())
            started = time.perf_counter()
            stripe.WebhookSignature.verify_header(body, header, SECRET, 300)
            event = json.loads(body)
            await pool.execute(
                "INSERT INTO webhook_events (provider, event_id, event_type, body, received_at)"
                " VALUES ('floor', $1, $2, $3, now()) ON CONFLICT DO NOTHING",
                event["id"],
                event["type"],
                body,
            )
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(caller() for _ in range(callers)))
    return latencies, time.perf_counter() - started


async def healthz(connections: list[Connection], requests: int):
    latencies: list[float] = []
    remaining = [requests]

    async def caller(connection: Connection) -> None:
        while remaining[0] > 0:
            remaining[0] -= 1
            started = time.perf_counter()
            await connection.request("GET", "/healthz")
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(caller(c) for c in connections))
    return latencies, time.perf_counter() - started


async def run(args, nats_url: str, postgres: EmbeddedPostgres) -> None:
    await create_databases(
        postgres, {"payments_bench": PAYMENTS_ALEMBIC_INI, "packs_bench": PACKS_ALEMBIC_INI}
    )
    per_round = args.requests // args.rounds
    warmup = args.callers * 10
    one_by_one = 100
    orders = await seed_orders(postgres.url("payments_bench"), warmup + args.requests + one_by_one)
    payments_port, packs_port = free_port(), free_port()
    servers = [
        start_server(
            "packs",
            port=packs_port,
            database_url=postgres.sqlalchemy_url("packs_bench"),
            nats_url=nats_url,
            database_pool_size=str(POOL_SIZE),
            default_capacity="1000000",
        ),
        start_server(
            "payments",
            port=payments_port,
            database_url=postgres.sqlalchemy_url("payments_bench"),
            nats_url=nats_url,
            database_pool_size=str(POOL_SIZE),
            stripe_webhook_secret=SECRET,
            webhook_workers=str(args.workers),
            rate_limits_enabled="false",  # the limiter has its own benchmark (limits_overhead)
        ),
    ]
    watch = PurchaseWatch()
    connections = [Connection(payments_port) for _ in range(args.callers)]
    try:
        async with (
            httpx.AsyncClient(base_url=f"http://127.0.0.1:{packs_port}") as packs_client,
            httpx.AsyncClient(base_url=f"http://127.0.0.1:{payments_port}") as client,
        ):
            await wait_ready(packs_client, servers[0])
            await wait_ready(client, servers[1])
            await watch.start(nats_url)
            pool = await asyncpg.create_pool(
                postgres.url("payments_bench"), min_size=POOL_SIZE, max_size=POOL_SIZE
            )
            floor_orders = [uuid.uuid4() for _ in range(warmup + args.requests)]
            sent: dict[str, float] = {}
            await post_webhooks(connections, orders[:warmup], sent)
            await floor(pool, floor_orders[:warmup], args.callers)
            await healthz(connections, warmup)

            samples: dict[str, list[float]] = {"service": [], "floor": [], "healthz": []}
            seconds = dict.fromkeys(samples, 0.0)
            cpu = dict.fromkeys(samples, 0.0)  # the serving process's CPU seconds
            server_pid = servers[1].pid
            loaded: list[str] = []
            for round_ in range(args.rounds):
                start = warmup + round_ * per_round
                batch = orders[start : start + per_round]
                variants = [
                    ("service", lambda b=batch: post_webhooks(connections, b, sent)),
                    (
                        "floor",
                        lambda s=start: floor(pool, floor_orders[s : s + per_round], args.callers),
                    ),
                    ("healthz", lambda: healthz(connections, per_round)),
                ]
                if round_ % 2:
                    variants.reverse()
                for name, measure in variants:
                    pid = None if name == "floor" else server_pid
                    before = cpu_seconds(pid)
                    latencies, elapsed = await measure()
                    if name == "service" and args.workers:  # processing is its cost too
                        await watch.wait([str(o) for o in batch])
                    cpu[name] += cpu_seconds(pid) - before
                    samples[name] += latencies
                    seconds[name] += elapsed
                loaded += [str(o) for o in batch]
            await pool.close()

            alone: list[str] = []
            for order_id in orders[-one_by_one:] if args.workers else []:
                await post_webhooks(connections[:1], [order_id], sent)
                await watch.wait([str(order_id)])
                alone.append(str(order_id))
    finally:
        for connection in connections:
            await connection.close()
        await watch.stop()
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)

    def rate(name: str) -> float:
        return len(samples[name]) / seconds[name]

    def hop(order_ids: list[str], seen: dict[str, float] = watch.seen) -> list[float]:
        return [seen[o] - sent[o] for o in order_ids if o in seen]

    print(
        f"\nStripe webhook ingestion over HTTP (uvicorn, own process, loopback):"
        f" {len(samples['service'])} signed checkout.session.completed per variant in"
        f" {args.rounds} interleaved rounds, {args.callers} concurrent callers,"
        f" Postgres with {durability(args.fast_postgres)}\n"
    )
    print_row("floor: verify_header + asyncpg INSERT", samples["floor"], rate("floor"))
    print_row("HTTP stack alone: GET /healthz", samples["healthz"], rate("healthz"))
    print_row("payments POST /v1/webhooks/stripe", samples["service"], rate("service"))
    if args.workers:
        print_row("webhook -> pack.purchased, under load", hop(loaded))
        print_row(
            "webhook -> payment.succeeded (payments' part), under load", hop(loaded, watch.paid)
        )
        print_row("webhook -> pack.purchased, one at a time", hop(alone))
    else:
        print("(--workers 0: events stored, not processed; ingestion alone)")

    def cpu_ms(name: str) -> float:
        return cpu[name] / len(samples[name]) * 1000

    print(
        f"\nCPU per request: floor {cpu_ms('floor'):.2f} ms (bench process);"
        f" /healthz {cpu_ms('healthz'):.2f} ms, webhook {cpu_ms('service'):.2f} ms including"
        f" its processing (payments process)"
    )
    p99 = percentile(samples["service"], 99) * 1000
    processing = (
        f"; webhook -> pack.purchased p50 {percentile(hop(loaded), 50) * 1000:.0f} ms under load"
        " (target <= 500)"
        if args.workers
        else ""
    )
    print(
        f"\naccepted/s {rate('service'):.0f}; p99 {p99:.1f} ms (target <= 50);"
        f" {rate('service') / rate('floor') * 100:.0f}% of the floor's rate (target >= 40%)"
        f"{processing}"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3200)
    parser.add_argument("--callers", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--fast-postgres", action="store_true", help="fsync off")
    parser.add_argument(
        "--workers", type=int, default=2, help="payments' webhook workers; 0: ingestion alone"
    )
    args = parser.parse_args()
    await with_embedded(run, args, fast=args.fast_postgres)


if __name__ == "__main__":
    asyncio.run(main())
