"""The HTTP app factory every service uses."""

import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI, Request
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
from shared.logging import bind_contextvars, clear_contextvars
from shared.messaging import context
from shared.runtime import Runtime

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def create_app(runtime: Runtime, *, title: str, routers: Iterable[APIRouter] = ()) -> FastAPI:
    """A FastAPI app whose lifespan starts and stops the broker, relay and due jobs."""
    settings = runtime.settings
    # Before uvicorn's first line (it calls the factory before it logs "Started server").
    shared_logging.configure(
        level=settings.log_level, log_format=settings.log_format, dev_mode=settings.dev_mode
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        try:
            yield
        finally:
            await runtime.stop()

    app = documented_app(title=title, version="1.0.0", lifespan=lifespan)
    app.state.runtime = runtime
    app.state.verifier = TokenVerifier(settings)
    install_problem_handlers(app)
    app.add_middleware(ProblemOnCrash)  # first added, so innermost: metrics see the 500
    install_limits(app, runtime)  # body size and read time, rate limits, requests in flight
    app.add_middleware(HttpMetrics, service=runtime.service)

    @app.middleware("http")
    async def request_context(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        request_id = request.headers.get(REQUEST_ID_HEADER, "")
        if not REQUEST_ID_PATTERN.fullmatch(request_id):
            # Anything else would travel into logs and event envelopes: use our own.
            request_id = str(uuid.uuid4())
        clear_contextvars()
        bind_contextvars(request_id=request_id, correlation_id=request_id, service=runtime.service)
        token = context.correlation_id.set(request_id)
        try:
            response = await call_next(request)
        finally:
            context.correlation_id.reset(token)
        response.headers[REQUEST_ID_HEADER] = request_id
        return response

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
