"""Checks every service's tests make the same way: health, readiness, metrics, docs, schema.

async def test_packs_is_alive_ready_measured_and_documented(packs_app):
    await assert_alive_ready_measured_and_documented(packs_app.service, paths={...})
"""

from collections.abc import Iterable

from sqlalchemy import MetaData

from shared.testing.helpers import schema_differences
from shared.testing.plugin import RunningService


async def assert_alive_ready_measured_and_documented(
    service: RunningService, *, paths: Iterable[str] = (), subjects: Iterable[str] = ()
) -> None:
    """/healthz answers, /readyz is ok on every check, /metrics serves, the docs list
    `paths` (OpenAPI) and `subjects` (AsyncAPI: events consumed or published, requests served).
    """
    client = service.client
    assert (await client.get("/healthz")).status_code == 200
    ready = await client.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert set(ready.json()["checks"].values()) == {"ok"}, ready.json()
    assert (await client.get("/metrics")).status_code == 200
    documented = set((await client.get("/openapi.json")).json()["paths"])
    missing_paths = set(paths) - documented
    assert not missing_paths, f"not in the OpenAPI document: {sorted(missing_paths)}"
    channels = (await client.get("/asyncapi.json")).json().get("channels", {}).values()
    addresses = [channel["address"] for channel in channels]
    missing = [s for s in subjects if not any(a.endswith(f".{s}") or a == s for a in addresses)]
    assert not missing, f"not in the AsyncAPI document: {missing}"


async def assert_migrations_match_tables(service: RunningService, metadata: MetaData) -> None:
    """The migrated database has exactly the tables, columns and constraints the code declares."""
    assert await schema_differences(service.database_url, metadata) == []
