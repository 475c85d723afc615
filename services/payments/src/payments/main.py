"""Composition root of the payments service."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from payments.adapters.paypal_webhooks import PayPalVerifier
from payments.adapters.providers import CheckoutProvider
from payments.bootstrap import bootstrap
from payments.config import Settings
from payments.domain.model import Provider
from payments.entrypoints import (
    api,
    checkout_api,
    oversight_api,
    refunds_api,
    sandbox_api,
    webhooks_api,
)
from shared.clock import Clock
from shared.http.app import create_app as create_http_app
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
    ctx, worker = bootstrap(runtime, settings=settings, providers=providers)
    routers = [
        api.router,
        checkout_api.router,
        refunds_api.router,
        webhooks_api.router,
        oversight_api.router,
    ]
    if settings.sandbox_enabled:
        routers.append(sandbox_api.router)
    app = create_http_app(runtime, title="Payments", routers=routers)
    app.state.payments = ctx
    app.state.payments_settings = settings
    app.state.webhook_worker = worker
    app.state.paypal_verifier = PayPalVerifier(
        webhook_id=settings.paypal_webhook_id, allowed_origins=settings.paypal_cert_origins
    )
    kernel_lifespan = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with kernel_lifespan(app):
            try:
                yield
            finally:  # webhooks answered but still processing finish before the bus stops
                await worker.drain()

    app.router.lifespan_context = lifespan
    return app
