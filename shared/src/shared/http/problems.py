"""Every error as RFC 9457 problem+json with a stable `code`."""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from shared.errors import DomainError
from shared.http.errors import status_for
from shared.logging import get_logger
from shared.messaging.request_client import RemoteError, RequestFailed

log = get_logger(__name__)

PROBLEM_JSON = "application/problem+json"


def problem(
    status: int, code: str, title: str, detail: str = "", *, extra: dict | None = None
) -> JSONResponse:
    body = {"type": f"about:blank#{code}", "title": title, "status": status, "code": code}
    if detail:
        body["detail"] = detail
    body.update(extra or {})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> JSONResponse:
        return problem(
            status_for(exc), exc.code, exc.code.replace("_", " ").capitalize(), exc.detail
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
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
        code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(exc.status_code, "HTTP_ERROR")
        return problem(exc.status_code, code, str(exc.detail))

    @app.exception_handler(RequestFailed)
    async def upstream_unavailable(request: Request, exc: RequestFailed) -> JSONResponse:
        return problem(503, exc.code, "A service we depend on did not answer", str(exc))

    @app.exception_handler(RemoteError)
    async def remote_refusal(request: Request, exc: RemoteError) -> JSONResponse:
        return problem(409, exc.code, exc.code.replace("_", " ").capitalize(), exc.detail)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("http.unhandled_error")
        return problem(500, "INTERNAL", "Internal error", "the error was logged")
