"""Composition root of the payments service."""

from pathlib import Path

from fastapi import FastAPI

from payments.adapters.providers import CheckoutProvider
from payments.bootstrap import bootstrap
from payments.config import Settings
from payments.domain.model import Provider
from payments.entrypoints.routers import routers
from shared.clock import Clock
from shared.http.app import create_http_app
from shared.runtime import build_runtime

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    providers: dict[Provider, CheckoutProvider] | None = None,
) -> FastAPI:
    """`providers` replaces the configured ones (tests point them at local servers)."""
    settings = settings or Settings()
    runtime = build_runtime(settings, alembic_ini=ALEMBIC_INI, clock=clock)
    deps, worker = bootstrap(runtime, settings=settings, providers=providers)
    return create_http_app(
        runtime,
        title="Payments",
        deps=deps,
        routers=routers(sandbox=settings.sandbox_enabled),
        on_start=worker.start,
        on_stop=worker.drain,  # webhooks answered but still processing finish first
    )
