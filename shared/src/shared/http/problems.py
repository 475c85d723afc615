"""Every error as RFC 9457 problem+json with a stable `code` and a `type` URI per code."""

from typing import Any

import asyncpg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.errors import DomainError, ErrorKind
from shared.http.errors import status_for
from shared.http.problem_types import problem_type_uri
from shared.logging import get_logger
from shared.messaging.failures import (
    describe_error,
    describe_unexpected,
    is_infrastructure_failure,
    where_it_failed,
)
from shared.messaging.request_client import RemoteError, RequestFailed

log = get_logger(__name__)

PROBLEM_JSON = "application/problem+json"
PROBLEM_MEMBERS = frozenset({"type", "title", "status", "code", "detail"})  # never overridden
RETRY_AFTER_SECONDS = 2
CODE_BY_STATUS = {
    400: "BAD_REQUEST",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
}


def problem(
    status: int,
    code: str,
    title: str,
    detail: str = "",
    *,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": problem_type_uri(code),
        "title": title,
        "status": status,
        "code": code,
    }
    if detail:
        body["detail"] = detail
    body.update(extra or {})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def unavailable(code: str, title: str, detail: str) -> JSONResponse:
    """A 503 that tells the client when to try again."""
    return problem(503, code, title, detail, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def _title(code: str) -> str:
    return code.replace("_", " ").capitalize()


HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route of this path takes (Starlette names only the first route's)."""
    routes = request.app.router.routes
    return [
        method
        for method in HTTP_METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes
        )
    ]


def internal_error(exc: BaseException) -> JSONResponse:
    """Log an unexpected error without personal data and answer a 500 problem."""
    # No exc_info: a rendered traceback repeats messages that may quote personal data.
    log.error("http.unhandled_error", error=describe_unexpected(exc), at=where_it_failed(exc))
    return problem(500, "INTERNAL", "Internal error", "the error was logged")


class ProblemOnCrash:
    """ASGI middleware: an exception that escapes the routes becomes a 500 problem here,
    so that Starlette's outermost handler never re-raises it into the server's own log."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started:  # too late for a problem: the response is half sent
                raise
            await internal_error(exc)(scope, receive, send)


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> JSONResponse:
        if exc.kind is ErrorKind.unavailable:
            return unavailable(exc.code, _title(exc.code), exc.detail)
        own = getattr(exc, "extra", {})  # a subclass may skip DomainError.__init__
        extra = {k: v for k, v in own.items() if k not in PROBLEM_MEMBERS}
        return problem(status_for(exc), exc.code, _title(exc.code), exc.detail, extra=extra)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        # The input is never echoed: it may be a secret, personal data or a megabyte.
        errors = [
            {"loc": list(error["loc"]), "msg": error["msg"], "type": error["type"]}
            for error in exc.errors()
        ]
        return problem(
            422,
            "VALIDATION_FAILED",
            "Request is not valid",
            "see errors",
            extra={"errors": errors},
        )

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        code = CODE_BY_STATUS.get(exc.status_code, "HTTP_ERROR")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request))
        return problem(exc.status_code, code, str(exc.detail), headers=headers)

    @app.exception_handler(RequestFailed)
    async def upstream_unavailable(request: Request, exc: RequestFailed) -> JSONResponse:
        return unavailable(exc.code, "A service we depend on did not answer", str(exc))

    @app.exception_handler(RemoteError)
    async def remote_refusal(request: Request, exc: RemoteError) -> JSONResponse:
        return problem(409, exc.code, _title(exc.code), exc.detail)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        return internal_error(exc)

    async def database_failure(request: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, PoolTimeout):  # every pooled connection busy past pool_timeout
            log.warning("http.database_busy")
            return unavailable(
                "DATABASE_BUSY",
                "The database has no connection free",
                "nothing was changed; retry shortly",
            )
        if is_infrastructure_failure(exc):
            log.warning("http.database_unavailable", error=describe_error(exc, limit=300))
            return unavailable(
                "DATABASE_UNAVAILABLE",
                "The database does not answer",
                "nothing was changed; retry shortly",
            )
        return await unexpected(request, exc)

    for failure in (
        DBAPIError,
        PoolTimeout,
        OSError,
        asyncpg.PostgresError,
        asyncpg.InterfaceError,
    ):
        app.add_exception_handler(failure, database_failure)
