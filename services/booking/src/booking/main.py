"""Composition root of the booking service."""

from pathlib import Path

from fastapi import FastAPI

from booking.adapters.google.oauth import HttpFactory, default_http
from booking.bootstrap import bootstrap
from booking.config import Settings
from booking.entrypoints import routers
from booking.service_layer.ports import Calendar
from shared.clock import Clock
from shared.http.app import create_http_app
from shared.runtime import build_runtime

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    calendar: Calendar | None = None,
    google_http: HttpFactory = default_http,
) -> FastAPI:
    settings = settings or Settings()
    runtime = build_runtime(settings, alembic_ini=ALEMBIC_INI, clock=clock)
    deps = bootstrap(runtime, settings=settings, calendar=calendar, google_http=google_http)
    return create_http_app(runtime, title="Booking", deps=deps, routers=routers.ALL)
