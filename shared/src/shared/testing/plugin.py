"""Pytest plugin: real servers once per session, a fresh database and NATS namespace per test."""

import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from shared.auth_dev import DEV_JWT_SECRET, mint_dev_token
from shared.runtime import Runtime
from shared.testing.databases import DatabaseFactory
from shared.testing.events import EventProbe, delete_stream, ensure_stream
from shared.testing.gateway import start_gateway  # noqa: F401 - registered here
from shared.testing.journeys import purge_stream, serve_over_http  # noqa: F401 - registered here
from shared.testing.servers import nats_server, postgres_server


@pytest.fixture(scope="session")
def nats_url() -> Iterator[str]:
    with nats_server() as url:
        yield url


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="session")
async def databases(postgres_admin_url: str) -> AsyncIterator[DatabaseFactory]:
    factory = DatabaseFactory(postgres_admin_url)
    yield factory
    await factory.drop_templates()


@pytest.fixture
async def namespace(nats_url: str) -> AsyncIterator[str]:
    """A NATS namespace of this test alone: its own stream, subjects and consumers."""
    name = f"t{uuid.uuid4().hex[:10]}"
    yield name
    await delete_stream(nats_url, name)


@pytest.fixture
async def event_probe(nats_url: str, namespace: str) -> AsyncIterator[EventProbe]:
    await ensure_stream(nats_url, namespace)
    probe = await EventProbe(nats_url, namespace).start()
    yield probe
    await probe.stop()


def auth_headers(user_id: str, role: str) -> dict[str, str]:
    token = mint_dev_token(user_id=user_id, role=role, secret=DEV_JWT_SECRET)
    return {"Authorization": f"Bearer {token}"}


# One client address and deliberate bursts of requests: the functional tests run without the
# overload protections, which have their own tests (shared/tests/test_limits_*.py) and are on,
# at their defaults, wherever the suite runs as processes (journeys, `make dev`).
FUNCTIONAL_TEST_LIMITS: dict[str, Any] = {
    "rate_limits_enabled": False,
    "max_requests_in_flight": 0,
    "database_pool_timeout_seconds": 30.0,
}


@dataclass
class RunningService:
    app: FastAPI
    client: httpx.AsyncClient
    database_url: str

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self.app.state.runtime
        return runtime


@pytest.fixture
async def start_service(
    databases: DatabaseFactory, nats_url: str, namespace: str
) -> AsyncIterator[Callable[..., Any]]:
    """`await start_service(create_app, settings_cls, alembic_ini, **overrides)`: a live service.

    Its lifespan runs for real (broker connected, consumers and responders subscribed); jobs
    do not tick on their own — tests run them with `runtime.jobs.run_now(name)`.
    """
    async with AsyncExitStack() as stack:
        created: list[str] = []

        async def start(
            create_app: Callable[..., FastAPI],
            settings_cls: type[Any],
            alembic_ini: Path,
            *,
            database_url: str | None = None,
            app_kwargs: dict[str, Any] | None = None,
            **overrides: Any,
        ) -> RunningService:
            if database_url is None:
                name, database_url = await databases.create(alembic_ini)
                created.append(name)
            settings = settings_cls(
                dev_mode=True,
                database_url=database_url,
                nats_url=nats_url,
                nats_namespace=namespace,
                jobs_enabled=False,
                outbox_sweep_seconds=0.5,
                consumer_backoff_seconds=(0.2, 0.4, 0.8, 1.0),
                **{**FUNCTIONAL_TEST_LIMITS, **overrides},
            )
            app = create_app(settings, **(app_kwargs or {}))
            await stack.enter_async_context(app.router.lifespan_context(app))
            client = await stack.enter_async_context(
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")
            )
            return RunningService(app=app, client=client, database_url=database_url)

        yield start
    for name in created:
        await databases.drop(name)
