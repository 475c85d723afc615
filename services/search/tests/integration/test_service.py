"""Search runs as a service: health, readiness, metrics, docs, schema, secrets."""

import pytest
from pydantic import ValidationError

from search.adapters.tables import metadata
from search.config import Settings
from shared.testing.service_checks import (
    assert_alive_ready_measured_and_documented,
    assert_migrations_match_tables,
)


async def test_search_is_alive_ready_measured_and_documented(search_service):
    await assert_alive_ready_measured_and_documented(search_service, paths={"/v1/mentors/search"})


async def test_the_migrations_create_exactly_the_tables_the_code_uses(search_service):
    await assert_migrations_match_tables(search_service, metadata)


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
