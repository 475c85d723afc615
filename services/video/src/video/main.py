"""Composition root of the video service."""

from pathlib import Path

from fastapi import FastAPI

from shared.clock import Clock
from shared.http.app import create_http_app
from shared.runtime import build_runtime
from video.bootstrap import bootstrap
from video.config import Settings
from video.entrypoints import admin_api, agora_api, api

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    settings = settings or Settings()
    runtime = build_runtime(settings, alembic_ini=ALEMBIC_INI, clock=clock)
    deps = bootstrap(runtime, settings=settings)
    routers = [api.router, agora_api.router, admin_api.router]
    return create_http_app(runtime, title="Video", deps=deps, routers=routers)
