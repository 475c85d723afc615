"""The gateway (a real Envoy) in front of the suite: routes, tokens, headers and its refusals.

Two kinds of upstreams on loopback: the six real service apps (their HTTP surface without a
database: health, OpenAPI, docs, AsyncAPI), and recording stand-ins that answer with what they
received, so that a test sees exactly what reached a service.
"""

import dataclasses
import importlib
import json
import re
import threading
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
import uvicorn

from mentorship.services import SERVICES, repo_root
from shared.auth_dev import DEV_JWT_SECRET, mint_dev_token
from shared.embedded.gateway import EmbeddedGateway
from shared.embedded.ports import free_port
from shared.gateway import filters
from shared.gateway.envoy import IDENTITY_HEADERS, JwtSettings
from shared.gateway.routes import (
    RateLimit,
    RouteTable,
    RouteTableError,
    default_route_table_path,
    load_route_table,
    parse_route_table,
)
from shared.testing.fake_http import JsonHandler, serve_in_thread

TABLE = load_route_table(default_route_table_path(repo_root()))
PROBLEM = "application/problem+json"
CORS = ("http://localhost:*", "http://127.0.0.1:*")


def recording_handler(service: str) -> type[JsonHandler]:
    """Answers every request with what it received, as `service`."""

    class Recording(JsonHandler):
        def _echo(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            self.answer(
                200,
                {
                    "service": service,
                    "method": self.command,
                    "path": self.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body_bytes": len(body),
                },
            )

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _echo

    return Recording


@pytest.fixture(scope="module")
def recorders() -> Iterator[dict[str, str]]:
    servers = {s.name: serve_in_thread(recording_handler(s.name)) for s in SERVICES}
    yield {name: f"http://127.0.0.1:{server.server_port}" for name, server in servers.items()}
    for server in servers.values():
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def real_apps() -> Iterator[dict[str, str]]:
    """Every service's app behind uvicorn, lifespan off: its routes, no database or broker."""
    servers, urls = [], {}
    for service in SERVICES:
        settings = importlib.import_module(f"{service.name}.config").Settings(dev_mode=True)
        app = importlib.import_module(f"{service.name}.main").create_app(settings)
        port = free_port()
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
        )
        threading.Thread(target=server.run, daemon=True).start()
        servers.append(server)
        urls[service.name] = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while not all(s.started for s in servers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(s.started for s in servers), "a service app did not start"
    yield urls
    for server in servers:
        server.should_exit = True


@pytest.fixture
async def gateway(start_gateway, recorders) -> str:
    url: str = await start_gateway(recorders, cors_origins=CORS)
    return url


def received(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["code"] == code
    assert body["type"] == f"/problems/{code}" and body["title"]
    assert body["request_id"] == response.headers["x-request-id"]
    return body


def token(*, secret: str = DEV_JWT_SECRET, **claims: Any) -> str:
    now = int(time.time())
    payload = {"sub": "u1", "role": "student", "iat": now, "exp": now + 600, **claims}
    return jwt.encode(payload, secret, algorithm="HS256")


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


# --- routing ------------------------------------------------------------------------------


@pytest.mark.parametrize("service", [s.name for s in SERVICES])
async def test_api_prefix_reaches_that_service_with_the_prefix_stripped(gateway, service):
    async with httpx.AsyncClient(base_url=gateway) as client:
        seen = received(await client.get(f"/api/{service}/v1/things/7", params={"q": "a b"}))
    assert seen["service"] == service
    assert seen["path"] == "/v1/things/7?q=a+b"
    assert seen["headers"]["x-forwarded-prefix"] == f"/api/{service}"


async def test_each_real_service_answers_its_own_health_through_its_prefix(
    start_gateway, real_apps
):
    url = await start_gateway(real_apps)
    async with httpx.AsyncClient(base_url=url) as client:
        for service in SERVICES:
            response = await client.get(f"/api/{service.name}/healthz")
            assert response.status_code == 200, response.text
            assert response.json() == {"status": "ok", "service": service.name}


async def test_openapi_docs_and_asyncapi_work_under_the_prefix(start_gateway, real_apps):
    url = await start_gateway(real_apps)
    async with httpx.AsyncClient(base_url=url) as client:
        for service in SERVICES:
            prefix = f"/api/{service.name}"
            schema = await client.get(f"{prefix}/openapi.json")
            assert schema.status_code == 200, schema.text
            # Swagger's "Try it out" calls the gateway, under the prefix.
            assert schema.json()["servers"] == [{"url": prefix}]
            operations = [op for item in schema.json()["paths"].values() for op in item.values()]
            assert all("429" in op["responses"] for op in operations)  # the gateway's own
            docs = await client.get(f"{prefix}/docs")
            assert docs.status_code == 200
            assert re.search(rf"""['"]{prefix}/openapi.json['"]""", docs.text), docs.text
            assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', docs.text)
            assert assets and all(a.startswith(prefix + "/") for a in assets), assets
            for asset in assets:
                assert (await client.get(asset)).status_code == 200, asset
            asyncapi = await client.get(f"{prefix}/asyncapi.json")
            assert asyncapi.status_code == 200 and "asyncapi" in asyncapi.json()


async def test_a_services_problem_type_resolves_through_the_gateway(start_gateway, real_apps):
    url = await start_gateway(real_apps)
    async with httpx.AsyncClient(base_url=url) as client:
        for service in SERVICES:
            refused = await client.get(f"/api/{service.name}/v1/no-such-route")
            assert refused.status_code == 404, refused.text
            problem_type = refused.json()["type"]
            assert problem_type == f"/api/{service.name}/problems/NOT_FOUND"
            page = await client.get(problem_type)
            assert page.status_code == 200 and "NOT_FOUND" in page.text, problem_type


async def test_the_same_service_called_directly_keeps_its_own_docs_and_servers(real_apps):
    async with httpx.AsyncClient(base_url=real_apps["packs"]) as client:
        schema = (await client.get("/openapi.json")).json()
        docs = (await client.get("/docs")).text
    assert "servers" not in schema
    assert "/api/packs" not in docs


@pytest.mark.parametrize("public", TABLE.public_paths, ids=lambda p: p.path)
async def test_provider_webhooks_and_oauth_callbacks_reach_their_service_path(gateway, public):
    async with httpx.AsyncClient(base_url=gateway) as client:
        seen = received(await client.post(public.path, params={"state": "s1"}, content=b"{}"))
    assert seen["service"] == public.service
    assert seen["path"] == f"{public.upstream_path}?state=s1"


async def test_a_provider_may_send_any_authorization_header_to_a_webhook(gateway):
    async with httpx.AsyncClient(base_url=gateway) as client:
        seen = received(await client.post("/webhooks/stripe", headers=bearer("not-a-jwt")))
    assert seen["path"] == "/v1/webhooks/stripe"


@pytest.mark.parametrize(
    "path", ["/", "/nope", "/api", "/api/packs", "/api/packsx/v1", "/api/nobody/v1/x", "/v1/me"]
)
async def test_an_unknown_route_is_a_404_problem_from_the_gateway(gateway, path):
    async with httpx.AsyncClient(base_url=gateway) as client:
        response = await client.get(path)
    assert_problem(response, 404, "ROUTE_NOT_FOUND")


async def test_the_gateway_serves_the_pages_its_problem_types_point_at(gateway):
    async with httpx.AsyncClient(base_url=gateway) as client:
        page = await client.get("/problems/ROUTE_NOT_FOUND")
    assert page.status_code == 200 and page.text.startswith("ROUTE_NOT_FOUND (404)")


# --- tokens -------------------------------------------------------------------------------


async def test_an_anonymous_call_passes_the_gateway(gateway):
    async with httpx.AsyncClient(base_url=gateway) as client:
        seen = received(await client.get("/api/search/v1/mentors/search"))
    assert "authorization" not in seen["headers"]


async def test_a_valid_token_passes_and_reaches_the_service_for_its_own_check(gateway):
    value = mint_dev_token(user_id="u1", role="mentor", secret=DEV_JWT_SECRET)
    async with httpx.AsyncClient(base_url=gateway) as client:
        seen = received(await client.get("/api/packs/v1/me/packs", headers=bearer(value)))
    assert seen["headers"]["authorization"] == f"Bearer {value}"


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(token(exp=int(time.time()) - 3600), id="expired"),
        pytest.param(token(secret="another-secret-of-at-least-32-bytes!"), id="wrongly-signed"),
        pytest.param("not.a.token", id="garbage"),
        pytest.param(
            jwt.encode({"sub": "u1", "role": "admin"}, key="", algorithm="none"), id="alg-none"
        ),
    ],
)
async def test_a_bad_token_is_a_401_problem_and_never_reaches_a_service(gateway, value):
    async with httpx.AsyncClient(base_url=gateway) as client:
        response = await client.get("/api/packs/v1/me/packs", headers=bearer(value))
    assert_problem(response, 401, "UNAUTHORIZED")


# --- headers ------------------------------------------------------------------------------


async def test_client_sent_identity_headers_never_reach_a_service(gateway):
    forged = {name: "admin" for name in IDENTITY_HEADERS}
    forged |= {"X_User_Id": "admin", "X-Forwarded-Prefix": "/evil"}
    async with httpx.AsyncClient(base_url=gateway) as client:
        seen = received(await client.get("/api/packs/v1/me/packs", headers=forged))
        hook = received(await client.post("/webhooks/clerk", headers=forged))
    for headers in (seen["headers"], hook["headers"]):
        leaked = {name for name in headers if name in IDENTITY_HEADERS or "_" in name}
        assert not leaked, leaked
    assert seen["headers"]["x-forwarded-prefix"] == "/api/packs"
    assert "x-forwarded-prefix" not in hook["headers"]


async def test_every_request_gets_a_new_request_id_that_the_service_and_client_see(gateway):
    async with httpx.AsyncClient(base_url=gateway) as client:
        first = await client.get("/api/booking/v1/x", headers={"X-Request-ID": "chosen-by-me"})
        second = await client.get("/api/booking/v1/x")
    ids = [r.headers["x-request-id"] for r in (first, second)]
    assert [received(r)["headers"]["x-request-id"] for r in (first, second)] == ids
    assert "chosen-by-me" not in ids and ids[0] != ids[1]
    assert all(re.fullmatch(r"[0-9a-f-]{36}", i) for i in ids)


# --- limits and failures ------------------------------------------------------------------


async def test_a_body_over_the_route_limit_is_a_413_problem(gateway):
    limit = TABLE.service("packs").max_body_bytes
    async with httpx.AsyncClient(base_url=gateway) as client:
        fits = await client.post("/api/packs/v1/x", content=b"x" * limit)
        too_big = await client.post("/api/packs/v1/x", content=b"x" * (limit + 1))
    assert received(fits)["body_bytes"] == limit
    assert_problem(too_big, 413, "PAYLOAD_TOO_LARGE")


async def test_a_webhook_has_its_own_body_limit(gateway):
    stripe = next(p for p in TABLE.public_paths if p.path == "/webhooks/stripe")
    assert stripe.max_body_bytes > TABLE.service("payments").max_body_bytes
    async with httpx.AsyncClient(base_url=gateway) as client:
        fits = await client.post(stripe.path, content=b"x" * stripe.max_body_bytes)
        too_big = await client.post(stripe.path, content=b"x" * (stripe.max_body_bytes + 1))
    assert received(fits)["body_bytes"] == stripe.max_body_bytes
    assert_problem(too_big, 413, "PAYLOAD_TOO_LARGE")


async def test_a_service_that_is_down_is_a_503_problem_with_retry_after(start_gateway, recorders):
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    url = await start_gateway({**recorders, "video": closed})
    async with httpx.AsyncClient(base_url=url) as client:
        down = await client.get("/api/video/v1/sessions/s1/token")
        hook = await client.post("/webhooks/agora", content=b"{}")
    for response in (down, hook):
        assert_problem(response, 503, "UPSTREAM_UNAVAILABLE")
        assert int(response.headers["retry-after"]) > 0


async def test_a_service_left_out_of_the_upstreams_is_a_503_problem(start_gateway, recorders):
    url = await start_gateway({"packs": recorders["packs"]})
    async with httpx.AsyncClient(base_url=url) as client:
        response = await client.get("/api/search/v1/mentors/search")
    assert_problem(response, 503, "UPSTREAM_UNAVAILABLE")


async def test_a_client_past_its_rate_is_a_429_problem_with_retry_after(start_gateway, recorders):
    table = dataclasses.replace(TABLE, rate_limit=RateLimit(requests_per_second=1, burst=3))
    url = await start_gateway(recorders, table=table)
    async with httpx.AsyncClient(base_url=url) as client:
        answers = [await client.get("/api/search/v1/mentors/search") for _ in range(10)]
    assert [r.status_code for r in answers[:3]] == [200, 200, 200]  # the burst
    # One token a second after that: most of the next seven, sent at once, are refused.
    refused = [r for r in answers[3:] if r.status_code != 200]
    assert len(refused) >= 5, [r.status_code for r in answers]
    assert_problem(refused[0], 429, "RATE_LIMITED")
    assert int(refused[0].headers["retry-after"]) > 0


# --- CORS ---------------------------------------------------------------------------------


def preflight(origin: str) -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
    }


@pytest.mark.parametrize("origin", ["http://localhost:5173", "http://127.0.0.1:3000"])
async def test_a_preflight_from_an_allowed_origin_is_answered_by_the_gateway(gateway, origin):
    async with httpx.AsyncClient(base_url=gateway) as client:
        response = await client.options("/api/booking/v1/sessions", headers=preflight(origin))
        simple = await client.get("/api/booking/v1/sessions", headers={"Origin": origin})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == origin
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "idempotency-key" in response.headers["access-control-allow-headers"]
    assert not response.content  # answered by the gateway, not passed to the service
    assert simple.headers["access-control-allow-origin"] == origin
    assert "x-request-id" in simple.headers["access-control-expose-headers"]


@pytest.mark.parametrize("origin", ["https://evil.example", "http://localhost.evil.example:80"])
async def test_a_preflight_from_another_origin_gets_no_cors_grant(gateway, origin):
    async with httpx.AsyncClient(base_url=gateway) as client:
        response = await client.options("/api/booking/v1/sessions", headers=preflight(origin))
    assert "access-control-allow-origin" not in response.headers


# --- the table itself ---------------------------------------------------------------------


def test_the_route_table_covers_every_service_on_its_dev_port():
    assert {(r.name, r.dev_port) for r in TABLE.services} == {
        (s.name, s.dev_port) for s in SERVICES
    }
    assert TABLE.port == 8100


def test_every_public_path_exists_in_its_services_openapi():
    documents: dict[str, dict[str, Any]] = {}
    for public in TABLE.public_paths:
        if public.service not in documents:
            settings = importlib.import_module(f"{public.service}.config").Settings(dev_mode=True)
            app = importlib.import_module(f"{public.service}.main").create_app(settings)
            documents[public.service] = app.openapi()
        paths = documents[public.service]["paths"]
        assert public.upstream_path in paths, (public.path, sorted(paths))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda t: t["services"][1].update(name="payments", prefix="/api/payments"),
            "appears twice",
        ),
        (lambda t: t["services"][0].update(prefix="/payments"), "prefix must be"),
        (lambda t: t["public_paths"][0].update(service="billing"), "no [[services]] entry"),
        (lambda t: t["public_paths"][0].update(path="/api/packs/x"), "must not be under /api/"),
        (lambda t: t["services"][0].update(max_body_bytes=0), "max_body_bytes must be"),
        (lambda t: t["gateway"].update(colour="blue"), "unknown key(s) colour"),
        (lambda t: t["public_paths"][0].update(kind="page"), "kind 'page' must be one of"),
    ],
)
def test_a_broken_route_table_is_refused_with_a_clear_error(change, message):
    raw = tomllib.loads(default_route_table_path(repo_root()).read_text())
    change(raw)
    with pytest.raises(RouteTableError, match=re.escape(message)):
        parse_route_table(raw)


def test_a_route_table_that_is_not_toml_names_the_file(tmp_path: Path):
    bad = tmp_path / "routes.toml"
    bad.write_text("[gateway\n")
    with pytest.raises(RouteTableError, match=re.escape(str(bad))):
        load_route_table(bad)


def test_a_gateway_that_cannot_start_says_why_with_envoys_log(tmp_path: Path, monkeypatch):

    table: RouteTable = dataclasses.replace(TABLE, route_timeout_seconds=1)
    gateway = EmbeddedGateway(
        table,
        upstreams={},
        jwt=JwtSettings(dev_secret=DEV_JWT_SECRET),
        cors_origins=["http://localhost:*"],
        work_dir=tmp_path,
    )
    # An origin regex Envoy refuses (RE2 has no look-ahead) stands for any bad config.
    monkeypatch.setattr(filters, "origin_regex", lambda origin: "^(?=x)$")
    with pytest.raises(RuntimeError, match="did not start") as failure:
        gateway.start()
    assert str(tmp_path / "envoy.log") in str(failure.value)
    assert "Envoy exited with code 1" in str(failure.value)
    assert "invalid perl operator" in str(failure.value)  # the tail of Envoy's own log
    assert not gateway.running
    assert json.loads((tmp_path / "envoy.json").read_text())["static_resources"]


async def test_the_rate_limit_counts_each_client_address_on_its_own(start_gateway, recorders):
    table = dataclasses.replace(TABLE, rate_limit=RateLimit(requests_per_second=1, burst=2))
    url = await start_gateway(recorders, table=table)
    other = httpx.AsyncHTTPTransport(local_address="127.0.0.2")  # another client, same machine
    async with (
        httpx.AsyncClient(base_url=url) as first,
        httpx.AsyncClient(base_url=url, transport=other) as second,
    ):
        spent = [(await first.get("/api/search/v1/x")).status_code for _ in range(6)]
        fresh = [(await second.get("/api/search/v1/x")).status_code for _ in range(2)]
    assert 429 in spent
    assert fresh == [200, 200]


async def test_a_browser_can_read_the_gateways_own_refusals(gateway):
    origin = {"Origin": "http://localhost:5173"}
    async with httpx.AsyncClient(base_url=gateway) as client:
        refused = await client.get("/api/packs/v1/me/packs", headers=origin | bearer("x.y.z"))
        unknown = await client.get("/nope", headers=origin)
    for response in (refused, unknown):
        assert response.headers.get("access-control-allow-origin") == origin["Origin"], (
            response.status_code
        )
    assert refused.status_code == 401 and unknown.status_code == 404
