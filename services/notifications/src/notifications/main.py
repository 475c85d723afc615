"""Composition root of the notifications service."""

from pathlib import Path

from fastapi import FastAPI

from notifications.bootstrap import bootstrap
from notifications.config import Settings
from notifications.entrypoints import (
    contacts_api,
    deliveries_api,
    dev_api,
    discord_api,
    webhooks_api,
)
from shared.clock import Clock
from shared.http.app import create_http_app
from shared.runtime import build_runtime

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"
ROUTERS = [contacts_api, deliveries_api, discord_api, webhooks_api, dev_api]


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    settings = settings or Settings()
    runtime = build_runtime(settings, alembic_ini=ALEMBIC_INI, clock=clock)
    deps, senders = bootstrap(runtime, settings=settings)
    return create_http_app(
        runtime,
        title="Notifications",
        deps=deps,
        routers=[module.router for module in ROUTERS],
        on_start=senders.start,  # the runtime first (broker, relay, jobs), then the senders
        on_stop=senders.stop,
    )
