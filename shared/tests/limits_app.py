"""A small app on the kernel's limits alone (no database, no broker), for the limits tests:
routes named like the policy table's, a bearer-protected one, a handler that waits."""

import asyncio
from types import SimpleNamespace
from typing import Any

import httpx
from fastapi import FastAPI, Request

from shared.auth import CurrentUser, TokenVerifier
from shared.http.limits import install_limits
from shared.http.problems import install_problem_handlers
from shared.settings import ServiceSettings


class Gate:
    """Lets the waiting handler finish once opened; counts bodies the handlers read."""

    def __init__(self) -> None:
        self.open = asyncio.Event()
        self.entered = 0
        self.bodies_read = 0


def limited_app(service: str = "booking", **settings: Any) -> tuple[FastAPI, Gate]:
    config = ServiceSettings(dev_mode=True, service_name=service, **settings)
    app = FastAPI()
    app.state.verifier = TokenVerifier(config)
    install_problem_handlers(app)
    install_limits(app, SimpleNamespace(settings=config, service=service))  # type: ignore[arg-type]
    gate = Gate()

    @app.post("/v1/sessions")
    async def book(user: CurrentUser) -> dict[str, str]:
        return {"user": user.id}

    @app.get("/v1/mentors/{mentor_id}/availability")
    async def availability(mentor_id: str) -> dict[str, str]:
        return {"mentor": mentor_id}

    @app.get("/v1/mine")
    async def mine(user: CurrentUser) -> dict[str, str]:
        return {"user": user.id}

    @app.post("/v1/webhooks/stripe")
    @app.post("/v1/echo")
    async def echo(request: Request) -> dict[str, int]:
        body = await request.body()
        gate.bodies_read += 1
        return {"bytes": len(body)}

    @app.get("/v1/wait")
    async def wait() -> dict[str, bool]:
        gate.entered += 1
        await gate.open.wait()
        return {"waited": True}

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app, gate


def client(app: FastAPI, address: str = "10.0.0.1") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://test")
