"""Real servers for a test session: embedded by default, given by URL, or Docker containers."""

import os
from collections.abc import Iterator
from contextlib import contextmanager

# The versions of the embedded servers and of docker-compose.yml (tests/test_deploy_config.py).
NATS_IMAGE = "nats:2.15.1-alpine"
POSTGRES_IMAGE = "postgres:18.6-alpine"


@contextmanager
def nats_server() -> Iterator[str]:
    """A JetStream-enabled NATS: TEST_NATS_URL, a container (TEST_USE_DOCKER=1), or embedded."""
    if url := os.environ.get("TEST_NATS_URL"):
        yield url
    elif os.environ.get("TEST_USE_DOCKER") == "1":
        from testcontainers.nats import NatsContainer

        with NatsContainer(NATS_IMAGE, jetstream=True) as container:
            yield container.nats_uri()
    else:
        from shared.embedded import EmbeddedNats

        with EmbeddedNats() as server:  # a temp dir of its own, removed on stop
            yield server.url


@contextmanager
def postgres_server() -> Iterator[str]:
    """A libpq URL of an admin database: TEST_DATABASE_URL, a container, or embedded (fast)."""
    if url := os.environ.get("TEST_DATABASE_URL"):
        yield url.replace("postgresql+asyncpg://", "postgresql://", 1)
    elif os.environ.get("TEST_USE_DOCKER") == "1":
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer(POSTGRES_IMAGE, driver=None) as container:
            yield container.get_connection_url()
    else:
        from shared.embedded import EmbeddedPostgres

        # Its own temp dir, not pytest's: as root, Postgres runs as another user, who must be
        # able to enter the parent folders, and pytest resets /tmp/pytest-of-root to 0700.
        with EmbeddedPostgres(fast=True) as server:
            yield server.url()
