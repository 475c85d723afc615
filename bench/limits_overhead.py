"""What the kernel's limits cost a request (decision 0021), in process (ASGI, no network):
the same limited route (booking's availability; a student's token, and anonymous) with the
limits off, with the rate limits in memory, and in Redis when one answers on 127.0.0.1:6379.
Limits are raised so that nothing is refused; rounds are rotated.

    uv run python bench/limits_overhead.py [--requests 2000] [--rounds 3]
"""

import argparse
import asyncio
import socket
import statistics
import time
import uuid
from types import SimpleNamespace
from typing import Any

import httpx
from fastapi import FastAPI

from shared.auth import TokenVerifier
from shared.auth_dev import DEV_JWT_SECRET, mint_dev_token
from shared.http.limits import install_limits
from shared.http.problems import install_problem_handlers
from shared.settings import ServiceSettings

PATH = "/v1/mentors/m1/availability"
HUGE = {"availability": "10000000/minute", "auth-failures": "10000000/minute"}


def app_with(**settings: Any) -> FastAPI:
    config = ServiceSettings(dev_mode=True, rate_limit_overrides=HUGE, **settings)
    app = FastAPI()
    app.state.verifier = TokenVerifier(config)
    install_problem_handlers(app)
    install_limits(app, SimpleNamespace(settings=config, service="booking"))  # type: ignore[arg-type]

    @app.get("/v1/mentors/{mentor_id}/availability")
    async def availability(mentor_id: str) -> dict[str, str]:
        return {"mentor": mentor_id}

    return app


async def per_request_us(app: FastAPI, headers: dict[str, str], requests: int) -> list[float]:
    transport = httpx.ASGITransport(app=app, client=("10.0.0.1", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
        for _ in range(50):  # warm up
            await http.get(PATH, headers=headers)
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            answer = await http.get(PATH, headers=headers)
            timings.append((time.perf_counter() - started) * 1e6)
            assert answer.status_code == 200, answer.text
    return timings


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.3):
            return True
    except OSError:
        return False


async def main(requests: int, rounds: int) -> None:
    variants: dict[str, FastAPI] = {
        "off": app_with(rate_limits_enabled=False, max_requests_in_flight=0),
        "memory": app_with(),
    }
    if redis_reachable():
        variants["redis"] = app_with(
            rate_limit_storage_url="redis://127.0.0.1:6379/0",
            rate_limit_key_prefix=f"bench-{uuid.uuid4().hex}",
        )
    token = mint_dev_token(user_id="bench-student", role="student", secret=DEV_JWT_SECRET)
    callers = {"student": {"Authorization": f"Bearer {token}"}, "anonymous": {}}
    results: dict[tuple[str, str], list[float]] = {}
    names = list(variants)
    for round_number in range(rounds):
        order = names[round_number % len(names) :] + names[: round_number % len(names)]
        for name in order:
            for caller, headers in callers.items():
                timings = await per_request_us(variants[name], headers, requests)
                results.setdefault((name, caller), []).extend(timings)
    print(f"{requests} requests x {rounds} rounds per variant, one caller, in process")
    for caller in callers:
        base = statistics.median(results[("off", caller)])
        for name in names:
            timings = sorted(results[(name, caller)])
            p50, p99 = statistics.median(timings), timings[int(len(timings) * 0.99)]
            print(f"{caller:9} {name:6} p50 {p50:7.0f} us  p99 {p99:7.0f} us  "
                  f"added p50 {p50 - base:+6.0f} us")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.requests, args.rounds))
