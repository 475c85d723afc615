"""Composition root of the search service."""

from pathlib import Path

from fastapi import FastAPI

from search.bootstrap import bootstrap
from search.config import Settings
from search.entrypoints import api
from search.service_layer.ports import SearchBackend
from shared.clock import Clock
from shared.http.app import create_http_app
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
    deps = bootstrap(runtime, settings=settings, backend=backend)
    return create_http_app(
        runtime,
        title="Search",
        deps=deps,
        routers=[api.router],
        on_start=deps.backend.prepare,  # index settings applied before the first request
    )
