"""Search runs as a service: health, readiness, metrics, docs, schema, secrets."""

import pytest
from pydantic import ValidationError

from search.adapters.tables import metadata
from search.config import Settings
from shared.testing.helpers import schema_differences


async def test_search_is_alive_ready_measured_and_documented(search_service):
    client = search_service.client
    ready = await client.get("/readyz")
    assert (await client.get("/healthz")).status_code == 200
    assert ready.status_code == 200
    assert set(ready.json()["checks"].values()) == {"ok"}
    assert (await client.get("/metrics")).status_code == 200
    assert "/v1/mentors/search" in (await client.get("/openapi.json")).json()["paths"]


async def test_the_migrations_create_exactly_the_tables_the_code_uses(search_service):
    assert await schema_differences(search_service.database_url, metadata) == []


def test_the_embedded_backend_needs_no_key_but_a_meilisearch_server_does():
    assert Settings(dev_mode=False, jwt_public_key="pem").meilisearch_url == ""
    with pytest.raises(ValidationError, match="SEARCH_MEILISEARCH_API_KEY"):
        Settings(dev_mode=False, jwt_public_key="pem", meilisearch_url="http://meili:7700")
    assert Settings(
        dev_mode=False,
        jwt_public_key="pem",
        meilisearch_url="http://meili:7700",
        meilisearch_api_key="a-real-master-key-123",
    )
