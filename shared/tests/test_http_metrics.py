"""/metrics counts HTTP requests per route template and status, every name mentorship_."""

import importlib
import uuid

import httpx
from prometheus_client.parser import text_string_to_metric_families

from mentorship.services import SERVICES
from packs.config import Settings
from packs.main import create_app
from shared.testing.plugin import auth_headers


def samples(text: str, name: str) -> dict[tuple, float]:
    return {
        tuple(sorted(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == name
    }


async def test_requests_are_counted_per_route_template_and_status_with_latency() -> None:
    app = create_app(Settings(dev_mode=True))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://packs") as client:
        before = samples((await client.get("/metrics")).text, "mentorship_http_requests_total")
        for _ in range(3):
            await client.get(f"/v1/packs/{uuid.uuid4()}")  # no token: 401
        await client.get(f"/v1/packs/{uuid.uuid4()}", headers=auth_headers("s1", "student"))
        await client.get(f"/no/such/{uuid.uuid4()}")
        text = (await client.get("/metrics")).text

    counts = samples(text, "mentorship_http_requests_total")

    def grown(route: str, status: str) -> float:
        key = tuple(
            sorted({"service": "packs", "method": "GET", "route": route, "status": status}.items())
        )
        return counts.get(key, 0) - before.get(key, 0)

    assert grown("/v1/packs/{pack_id}", "401") == 3
    assert grown("unmatched", "404") == 1
    assert not any("/v1/packs/" in dict(k)["route"] and "-" in dict(k)["route"] for k in counts)
    latency = samples(text, "mentorship_http_request_duration_seconds_count")
    assert any(dict(k)["route"] == "/v1/packs/{pack_id}" for k in latency)


async def test_every_metric_name_of_every_service_starts_with_mentorship() -> None:
    for service in SERVICES:  # each app registers its own metrics as it is built
        settings = importlib.import_module(f"{service.name}.config").Settings(dev_mode=True)
        importlib.import_module(f"{service.name}.main").create_app(settings)
    app = create_app(Settings(dev_mode=True))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://packs") as client:
        await client.get("/healthz")
        text = (await client.get("/metrics")).text
    # python_* and process_* are the client library's standard process collectors.
    ours = {
        f.name
        for f in text_string_to_metric_families(text)
        if not f.name.startswith(("python_", "process_"))
    }
    assert {"mentorship_http_requests", "mentorship_events_consumed"} <= ours
    assert all(name.startswith("mentorship_") for name in ours), sorted(ours)
