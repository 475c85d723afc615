"""Composition root of the search service."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from search.bootstrap import bootstrap
from search.config import Settings
from search.entrypoints import api
from search.service_layer.ports import SearchBackend
from shared.clock import Clock
from shared.http.app import create_app as create_http_app
from shared.runtime import build_runtime

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    backend: SearchBackend | None = None,
) -> FastAPI:
    settings = settings or Settings()
    runtime = build_runtime(settings, alembic_ini=ALEMBIC_INI, clock=clock)
    ctx = bootstrap(runtime, settings=settings, backend=backend)
    app = create_http_app(runtime, title="Search", routers=[api.router])
    app.state.search = ctx
    kernel_lifespan = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with kernel_lifespan(app):
            await ctx.backend.prepare()  # index settings applied before the first request
            yield

    app.router.lifespan_context = lifespan
    return app
