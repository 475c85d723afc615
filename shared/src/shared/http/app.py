"""The HTTP app factory every service uses: the one service skeleton (decision 0025)."""

import gc
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from shared import logging as shared_logging
from shared.auth import TokenVerifier
from shared.http.admin import admin_router
from shared.http.admin_clock import clock_read
from shared.http.asyncapi import service_document
from shared.http.docs import documented_app
from shared.http.limits import install_limits
from shared.http.metrics import HttpMetrics
from shared.http.problem_types import problem_types_router
from shared.http.problems import ProblemOnCrash, install_problem_handlers
from shared.http.request_context import RequestContext
from shared.runtime import Runtime

Hook = Callable[[], Awaitable[None]]
"""Work of the service's own in the lifespan: `on_start` after the runtime starts, `on_stop`
before it stops (senders, workers, index settings)."""


def create_http_app(
    runtime: Runtime,
    *,
    title: str,
    deps: object,
    routers: Iterable[APIRouter] = (),
    on_start: Hook | None = None,
    on_stop: Hook | None = None,
) -> FastAPI:
    """A service's FastAPI app: its lifespan runs the runtime and the hooks; routes reach
    `deps` (the service's `Dependencies`) through `shared.http.deps.service_dependencies`."""
    settings = runtime.settings
    # Before uvicorn's first line (it calls the factory before it logs "Started server").
    shared_logging.configure(
        level=settings.log_level,
        log_format=settings.log_format,
        dev_mode=settings.dev_mode,
        access_log_sample_rate=settings.access_log_sample_rate,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        try:
            if on_start is not None:
                await on_start()
            # What start-up built lives as long as the process: full collections walking it
            # caused ~115 ms p99 spikes (issue 19), so the collector leaves it alone.
            gc.freeze()
            try:
                yield
            finally:
                if on_stop is not None:
                    await on_stop()
        finally:
            await runtime.stop()

    app = documented_app(title=title, version="1.0.0", lifespan=lifespan)
    app.state.runtime = runtime
    app.state.deps = deps
    app.state.verifier = TokenVerifier(settings)
    install_problem_handlers(app)
    app.add_middleware(ProblemOnCrash)  # first added, so innermost: metrics see the 500
    install_limits(app, runtime)  # body size and read time, rate limits, requests in flight
    app.add_middleware(HttpMetrics, service=runtime.service)

    app.add_middleware(RequestContext, service=runtime.service)  # last added: outermost

    @app.get("/healthz", tags=["operations"])
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": runtime.service}

    @app.get(
        "/readyz",
        tags=["operations"],
        responses={
            503: {
                "description": "a dependency is not ready; `checks` says which",
                "content": {"application/json": {}},
            }
        },
    )
    async def readyz() -> JSONResponse:
        checks = await runtime.readiness()
        ready = all(value == "ok" for value in checks.values())
        # A consumer whose deliveries keep failing does not stop the service from serving
        # HTTP, so it stays ready (200) but says so: status "degraded" and the details.
        failing = runtime.bus.consumers.health.failing()
        status = "not_ready" if not ready else "degraded" if failing else "ready"
        body: dict[str, object] = {
            "status": status,
            "service": runtime.service,
            "checks": checks,
            "failing_consumers": failing,
        }
        if runtime.dev_clock is not None:
            body["clock"] = clock_read(runtime.dev_clock.reading()).model_dump(mode="json")
        return JSONResponse(body, status_code=200 if ready else 503)

    @app.get(
        "/metrics",
        tags=["operations"],
        response_class=Response,
        responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text"}},
    )
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    @app.get("/asyncapi.json", tags=["operations"])
    async def asyncapi() -> JSONResponse:
        return JSONResponse(service_document(runtime, title=title))

    app.include_router(admin_router())
    app.include_router(problem_types_router())
    for router in routers:
        app.include_router(router)
    return app
