"""Composition root of the notifications service."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from notifications.bootstrap import bootstrap
from notifications.config import Settings
from notifications.entrypoints import (
    api_contacts,
    api_deliveries,
    api_dev,
    api_discord,
    api_webhooks,
)
from shared.clock import Clock
from shared.http.app import create_app as create_http_app
from shared.runtime import build_runtime

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"
ROUTERS = [api_contacts, api_deliveries, api_discord, api_webhooks, api_dev]


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    settings = settings or Settings()
    runtime = build_runtime(settings, alembic_ini=ALEMBIC_INI, clock=clock)
    service = bootstrap(runtime, settings=settings)
    app = create_http_app(
        runtime, title="Notifications", routers=[module.router for module in ROUTERS]
    )
    app.state.notifications = service
    runtime_lifespan = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        """The runtime first (broker, relay, jobs), then the senders; stopped in reverse."""
        async with runtime_lifespan(app):
            await service.start()
            try:
                yield
            finally:
                await service.stop()

    app.router.lifespan_context = lifespan
    return app
