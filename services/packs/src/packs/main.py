"""Composition root of the packs service."""

from pathlib import Path

from fastapi import FastAPI

from packs.bootstrap import bootstrap
from packs.config import Settings
from packs.entrypoints import api, credits_api, waitlist_api
from shared.clock import Clock
from shared.http.app import create_http_app
from shared.runtime import build_runtime

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    settings = settings or Settings()
    runtime = build_runtime(settings, alembic_ini=ALEMBIC_INI, clock=clock)
    deps = bootstrap(runtime, settings=settings)
    routers = [api.router, credits_api.router, waitlist_api.router]
    return create_http_app(runtime, title="Packs", deps=deps, routers=routers)
