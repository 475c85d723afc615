"""Load shedding and request limits over real HTTP (uvicorn on loopback): a bounded number of
requests in flight (503 OVERLOADED at once), a bounded wait for a pooled database connection
(503 DATABASE_BUSY), bodies over the route's size (413, with and without Content-Length) and
bodies that come too slowly (408, connection closed)."""

import asyncio
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from prometheus_client import REGISTRY
from pydantic import ValidationError
from sqlalchemy import text

from shared.db import make_engine
from shared.http.body_limits import body_limit
from shared.settings import ServiceSettings

from .limits_app import limited_app

PROBLEM = "application/problem+json"


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[str]:
    """`app` behind uvicorn on a free loopback port, in this event loop."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    try:
        async with asyncio.timeout(10):
            while not server.started:  # noqa: ASYNC110 - uvicorn has no started event
                await asyncio.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)


def assert_problem(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["code"] == code


def shed(service: str) -> float:
    value = REGISTRY.get_sample_value("mentorship_http_shed_total", {"service": service})
    return value or 0.0


async def test_past_the_bound_in_flight_a_request_gets_503_at_once_and_health_still_answers():
    app, gate = limited_app("search", max_requests_in_flight=2)
    before = shed("search")
    async with serving(app) as url, httpx.AsyncClient(base_url=url, timeout=10) as http:
        waiting = [asyncio.create_task(http.get("/v1/wait")) for _ in range(2)]
        async with asyncio.timeout(5):
            while gate.entered < 2:  # noqa: ASYNC110 - two handlers, one count
                await asyncio.sleep(0.01)
        started = time.monotonic()
        burst = await asyncio.gather(*(http.get("/v1/mentors/search") for _ in range(5)))
        elapsed = time.monotonic() - started
        health = await http.get("/healthz")
        gate.open.set()
        served = await asyncio.gather(*waiting)
    for refused in burst:
        assert_problem(refused, 503, "OVERLOADED")
        assert refused.headers["retry-after"] == "1"
    assert elapsed < 1.0, f"refusals took {elapsed:.2f} s: they queued"
    assert health.status_code == 200
    assert [answer.status_code for answer in served] == [200, 200]
    assert shed("search") == before + 5


async def test_a_full_database_pool_answers_503_database_busy_after_the_pool_timeout(
    postgres_admin_url,
):
    url = postgres_admin_url.replace("postgresql://", "postgresql+asyncpg://", 1)
    engine = make_engine(url, pool_size=1, pool_timeout=0.3)  # 1 + 1 overflow connections
    app, gate = limited_app("packs")

    @app.get("/v1/query")
    async def query() -> dict[str, int]:
        async with engine.connect() as connection:
            return {"one": (await connection.execute(text("select 1"))).scalar_one()}

    try:
        held = [await engine.connect() for _ in range(2)]
        async with serving(app) as base, httpx.AsyncClient(base_url=base, timeout=10) as http:
            started = time.monotonic()
            busy = await http.get("/v1/query")
            waited = time.monotonic() - started
            for connection in held:
                await connection.close()
            again = await http.get("/v1/query")
    finally:
        await engine.dispose()
    assert_problem(busy, 503, "DATABASE_BUSY")
    assert busy.headers["retry-after"]
    assert 0.3 <= waited < 3.0
    assert again.json() == {"one": 1}


async def test_a_body_over_the_routes_size_is_413_with_or_without_content_length():
    app, gate = limited_app("payments")
    limit = body_limit("payments", "/v1/echo")
    too_big = b"x" * (limit + 1)

    async def chunks():
        for start in range(0, len(too_big), 8192):
            yield too_big[start : start + 8192]

    async with serving(app) as url, httpx.AsyncClient(base_url=url, timeout=10) as http:
        declared = await http.post("/v1/echo", content=too_big)
        chunked = await http.post("/v1/echo", content=chunks())
        fits = await http.post("/v1/echo", content=b"x" * limit)
        # The Stripe webhook's own size (the gateway's public path) is larger.
        webhook = await http.post("/v1/webhooks/stripe", content=too_big)
    assert_problem(declared, 413, "PAYLOAD_TOO_LARGE")
    assert str(limit) in declared.json()["detail"]
    assert_problem(chunked, 413, "PAYLOAD_TOO_LARGE")
    assert fits.json() == {"bytes": limit}
    assert webhook.json() == {"bytes": limit + 1}
    assert gate.bodies_read == 2, "an oversized body reached a handler"


async def test_a_body_sent_a_byte_at_a_time_gets_408_and_a_closed_connection_at_the_deadline():
    app, gate = limited_app("packs", body_read_timeout_seconds=1.0)
    async with serving(app) as url:
        host, port = url.removeprefix("http://").split(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(
            b"POST /v1/echo HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
            b"Content-Length: 100\r\n\r\n"
        )
        started = time.monotonic()

        async def trickle() -> None:
            for _ in range(100):
                writer.write(b"x")
                await writer.drain()
                await asyncio.sleep(0.2)

        sender = asyncio.create_task(trickle())
        try:
            async with asyncio.timeout(5):
                answer = await reader.read()  # everything until the server closes
        finally:
            sender.cancel()
            await asyncio.gather(sender, return_exceptions=True)
            writer.close()
        elapsed = time.monotonic() - started
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408"), answer[:200]
    assert b"REQUEST_TIMEOUT" in body
    assert 1.0 <= elapsed < 3.0, f"closed after {elapsed:.1f} s"
    assert gate.bodies_read == 0


def test_the_in_flight_bound_is_four_times_the_pool_by_default_and_never_negative():
    assert ServiceSettings(dev_mode=True).requests_in_flight_limit == 40
    assert ServiceSettings(dev_mode=True, database_pool_size=5).requests_in_flight_limit == 20
    assert ServiceSettings(dev_mode=True, max_requests_in_flight=0).requests_in_flight_limit == 0
    for bad in ({"max_requests_in_flight": -1}, {"body_read_timeout_seconds": 0}):
        with pytest.raises(ValidationError):
            ServiceSettings(dev_mode=True, **bad)
