"""Composition root of the search service."""

from pathlib import Path

from fastapi import FastAPI

from search.config import Settings
from search.entrypoints import api, subscribers
from shared.clock import Clock
from shared.http.app import create_app as create_http_app
from shared.runtime import build_runtime

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    settings = settings or Settings()
    runtime = build_runtime(settings, alembic_ini=ALEMBIC_INI, clock=clock)
    subscribers.register(runtime.bus, clock=runtime.clock)
    return create_http_app(runtime, title="Search", routers=[api.router])
