"""The rate-limit policy table against the services: every route it names exists in its
service's OpenAPI and declares its 429; the services' body sizes are the gateway's route
table's; the kernel app factory applies the limits to a real service."""

import asyncio
import importlib
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request
from starlette.routing import compile_path

from mentorship.services import SERVICE_NAMES, repo_root
from shared.auth import TokenVerifier
from shared.embedded.ports import free_port
from shared.gateway.routes import default_route_table_path, load_route_table
from shared.http.body_limits import DEFAULT_BODY_BYTES, body_limit
from shared.http.limits import install_limits
from shared.http.problems import install_problem_handlers
from shared.http.rate_limit_policy import GROUPS
from shared.settings import ServiceSettings
from shared.testing.plugin import auth_headers

TABLE = load_route_table(default_route_table_path(repo_root()))


@cache
def openapi(service: str) -> dict[str, Any]:
    main = importlib.import_module(f"{service}.main")
    settings = importlib.import_module(f"{service}.config").Settings(dev_mode=True)
    document: dict[str, Any] = main.create_app(settings).openapi()
    return document


@pytest.mark.parametrize(
    "group, route",
    [(group, route) for group in GROUPS for route in group.routes],
    ids=lambda value: getattr(value, "name", None) or f"{value.service} {value.path}",
)
def test_every_route_of_the_policy_table_is_an_operation_that_declares_its_429(group, route):
    assert route.service in SERVICE_NAMES
    operation = openapi(route.service)["paths"].get(route.path, {}).get(route.method.lower())
    assert operation is not None, (
        f"{route.method} {route.path} of group {group.name} is not in {route.service}'s OpenAPI"
    )
    assert f"group {group.name}:" in operation["responses"]["429"]["description"]


def test_no_other_operation_of_a_service_falls_under_a_groups_template():
    """The limiter matches a request against the table's templates (Starlette's compile_path):
    another operation whose path the template also matches would be counted in the group."""
    for group in GROUPS:
        for route in group.routes:
            pattern = compile_path(route.path)[0]
            for path, item in openapi(route.service)["paths"].items():
                concrete = re.sub(r"\{[^}]+\}", "x", path)
                if path != route.path and route.method.lower() in item:
                    assert not pattern.match(concrete), f"{path} falls under {route.path}"


def test_every_operation_declares_429_and_every_write_413():
    for service in SERVICE_NAMES:
        for path, item in openapi(service)["paths"].items():
            if path in {"/healthz", "/readyz", "/metrics", "/asyncapi.json"}:
                continue
            for method, operation in item.items():
                assert "429" in operation["responses"], f"{service} {method} {path}"
                if method in {"post", "put", "patch"}:
                    assert "413" in operation["responses"], f"{service} {method} {path}"


def test_the_services_body_sizes_are_the_gateways():
    assert DEFAULT_BODY_BYTES == TABLE.max_body_bytes
    for route in TABLE.services:
        assert body_limit(route.name, "/v1/anything") == route.max_body_bytes, route.name
    for public in TABLE.public_paths:
        assert body_limit(public.service, public.upstream_path) == public.max_body_bytes, (
            public.path
        )


async def test_the_app_factory_limits_a_real_services_group(start_service):
    search = importlib.import_module("search.main")
    settings = importlib.import_module("search.config").Settings
    service = await start_service(
        search.create_app,
        settings,
        search.ALEMBIC_INI,
        rate_limits_enabled=True,
        rate_limit_overrides={"search": "2/minute"},
    )
    me = auth_headers("s-limits", "student")
    answers = [await service.client.get("/v1/mentors/search", headers=me) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429], answers[-1].text
    assert answers[0].headers["ratelimit-policy"] == '"search";q=2;w=60'
    assert answers[2].json()["code"] == "RATE_LIMITED"
    assert int(answers[2].headers["retry-after"]) >= 1


async def test_a_services_429_and_its_rate_limit_fields_pass_through_the_gateway(start_gateway):
    config = ServiceSettings(dev_mode=True, rate_limit_overrides={"search": "2/minute"})
    app = FastAPI()
    app.state.verifier = TokenVerifier(config)
    install_problem_handlers(app)
    install_limits(app, SimpleNamespace(settings=config, service="search"))  # type: ignore[arg-type]
    seen: list[str] = []

    @app.get("/v1/mentors/search")
    async def search(request: Request) -> dict[str, str]:
        seen.append(request.client.host if request.client else "")
        return {"ok": "yes"}

    async with serving(app) as upstream:
        gateway = await start_gateway({"search": upstream})
        async with httpx.AsyncClient(base_url=gateway, timeout=10) as http:
            answers = [await http.get("/api/search/v1/mentors/search") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429], answers[-1].text
    assert answers[0].headers["ratelimit-policy"] == '"search";q=2;w=60'
    assert answers[2].json()["code"] == "RATE_LIMITED"
    assert int(answers[2].headers["retry-after"]) >= 1
    assert answers[2].headers["ratelimit"].startswith('"search";r=0;')
    assert len(seen) == 2 and all(seen), seen  # counted per the address uvicorn was given


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[str]:
    """`app` behind uvicorn on a free loopback port, in this event loop."""
    port = free_port()
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
