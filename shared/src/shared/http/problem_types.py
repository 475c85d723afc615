"""Problem types: each stable code has a URI (`/problems/<CODE>`) that the service serves as
a short page saying what it means and what to do."""

import html
import inspect
import re
from contextvars import ContextVar
from dataclasses import dataclass

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from shared.errors import DomainError, NotFound
from shared.http.errors import STATUS_BY_KIND
from shared.messaging import packs_requests

PROBLEMS_PATH = "/problems"
CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9_]{0,79}$")


@dataclass(frozen=True)
class ProblemType:
    code: str
    status: int
    description: str


KERNEL_PROBLEMS = {
    problem.code: problem
    for problem in (
        ProblemType("VALIDATION_FAILED", 422, "The request breaks its schema; `errors` lists "
                    "each field (`loc`) and what is wrong with it (`msg`)."),
        ProblemType("NOT_FOUND", 404, "Nothing is at this path, or the thing named does not "
                    "exist or is not yours to see."),
        ProblemType("METHOD_NOT_ALLOWED", 405, "This path does not take this method; the "
                    "`Allow` header lists the ones it takes."),
        ProblemType("UNAUTHORIZED", 401, "No bearer token, or one that is expired, forged, "
                    "or names no valid user or role."),
        ProblemType("FORBIDDEN", 403, "The caller's role or identity may not do this."),
        ProblemType("DATABASE_UNAVAILABLE", 503, "The service's database does not answer "
                    "right now; nothing was changed. Retry after the `Retry-After` seconds."),
        ProblemType("UPSTREAM_UNAVAILABLE", 503, "A service this one depends on did not "
                    "answer; nothing was changed. Retry later."),
        ProblemType("UPSTREAM_TIMEOUT", 503, "A service this one depends on did not answer "
                    "in time; nothing was changed. Retry later."),
        ProblemType("INTERNAL", 500, "An unexpected error; it was logged with the request id "
                    "(`X-Request-ID`)."),
        ProblemType("BAD_REQUEST", 400, "The body could not be read (not JSON, or not UTF-8)."),
        ProblemType("HTTP_ERROR", 400, "The HTTP layer refused the request; `detail` says why."),
        ProblemType("DATABASE_BUSY", 503, "Every database connection of the service was busy "
                    "for too long; nothing was changed. Retry after `Retry-After` seconds."),
        ProblemType("OVERLOADED", 503, "The service has as many requests in flight as it "
                    "takes; this one was not started. Retry after `Retry-After` seconds."),
        ProblemType("RATE_LIMITED", 429, "A rate limit of this route's group (per user, per "
                    "client address or per provider) or of failed authentications from this "
                    "address is used up; `RateLimit-Policy` names it, `RateLimit` says what is "
                    "left. Retry after `Retry-After` seconds."),
        ProblemType("PAYLOAD_TOO_LARGE", 413, "The request body is over this route's size; "
                    "`detail` gives the limit."),
        ProblemType("REQUEST_TIMEOUT", 408, "The request body did not arrive within the "
                    "service's read deadline; the connection is closed."),
    )
}  # fmt: skip


def _domain_error_classes(base: type[DomainError] = DomainError) -> list[type[DomainError]]:
    classes = []
    for subclass in base.__subclasses__():
        classes.append(subclass)
        classes.extend(_domain_error_classes(subclass))
    return classes


def known_problems() -> dict[str, ProblemType]:
    """Kernel codes and the code of every DomainError subclass loaded in this process."""
    problems = dict(KERNEL_PROBLEMS)
    for name, value in vars(packs_requests).items():
        if name == value and CODE_PATTERN.match(name):  # the refusal codes packs relays
            problems[name] = ProblemType(
                name,
                409,
                f"Packs refused: {name.replace('_', ' ').lower()} (see the "
                "packs request contracts); the problem's `detail` says why.",
            )
    for error_class in _domain_error_classes():
        code = error_class.code
        doc = inspect.getdoc(error_class) or ""
        if code in problems or not CODE_PATTERN.match(code):
            continue
        if doc == inspect.getdoc(DomainError) or not doc:
            doc = f"A refusal: {code.replace('_', ' ').lower()}. The problem's `detail` says why."
        problems[code] = ProblemType(code, STATUS_BY_KIND[error_class.kind], doc)
    return problems


problems_base: ContextVar[str] = ContextVar("problems_base", default="")
"""The path this service is reached under for the current request: `/api/<service>` behind
the gateway (its `X-Forwarded-Prefix`), "" when called directly. Set by `RequestContext`."""


def problem_type_uri(code: str) -> str:
    """The `type` of a problem with this code: a relative URI this service answers, under the
    gateway's prefix when the request came through it (so the link resolves there too)."""
    return f"{problems_base.get()}{PROBLEMS_PATH}/{code}"


def problem_types_router() -> APIRouter:
    router = APIRouter(prefix=PROBLEMS_PATH, include_in_schema=False)

    @router.get("/{code}", response_class=HTMLResponse)
    async def describe(code: str) -> HTMLResponse:
        problem = known_problems().get(code)
        if problem is None:
            raise NotFound("no such problem type")
        title = html.escape(f"{problem.code} ({problem.status})")
        return HTMLResponse(
            f"<!doctype html><html><head><title>{title}</title></head><body>"
            f"<h1>{title}</h1><p>{html.escape(problem.description)}</p></body></html>"
        )

    return router
