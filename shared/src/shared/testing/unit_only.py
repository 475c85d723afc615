"""`pytest -p shared.testing.unit_only`: run only the tests that need no server (`make unit`).

A test needs a server when its fixtures reach NATS or PostgreSQL (`nats_url`,
`postgres_admin_url`, and so every fixture built on them); those are deselected.
"""

import pytest

SERVER_FIXTURES = frozenset({"nats_url", "postgres_admin_url"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    kept: list[pytest.Item] = []
    needs_servers: list[pytest.Item] = []
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        (needs_servers if fixtures & SERVER_FIXTURES else kept).append(item)
    if needs_servers:
        config.hook.pytest_deselected(items=needs_servers)
        items[:] = kept
