"""The documented app: Swagger UI and ReDoc served locally, auth problems on every operation."""

import copy
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline

from shared.auth import BEARER_SCHEME
from shared.gateway.refusals import add_gateway_problems
from shared.http.forwarded_prefix import ForwardedPrefix
from shared.http.problem_docs import add_kernel_problems

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 problem details with a stable `code`.",
    "required": ["type", "title", "status", "code"],
    "properties": {
        "type": {"type": "string", "format": "uri-reference"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "code": {"type": "string", "description": "stable, documented error code"},
        "detail": {"type": "string"},
    },
}
AUTH_PROBLEMS = {
    "401": "UNAUTHORIZED: no bearer token, or one that is expired, forged or has no role",
    "403": "FORBIDDEN: the token's role or user may not do this",
}


def documented_app(**fastapi_kwargs: Any) -> FastAPI:
    """A FastAPI app whose /docs and /redoc need no CDN and whose schema lists 401/403;
    behind the gateway's `/api/<service>` prefix they find their schema (ForwardedPrefix)."""
    app = FastAPIOffline(**fastapi_kwargs)
    app.openapi = _openapi_with_auth_problems(app)  # type: ignore[method-assign]
    _serve_openapi_per_prefix(app)
    app.add_middleware(ForwardedPrefix)
    return app


def _serve_openapi_per_prefix(app: FastAPI) -> None:
    """`/openapi.json` as FastAPI serves it; under the gateway's prefix (a `root_path`), the
    prefix is the schema's server and the gateway's own refusals are declared too."""
    url = app.openapi_url
    if not url:
        return
    app.router.routes = [r for r in app.router.routes if getattr(r, "path", None) != url]

    async def openapi(request: Request) -> JSONResponse:
        root_path = str(request.scope.get("root_path", "")).rstrip("/")
        if not root_path:
            return JSONResponse(app.openapi())
        schema = add_gateway_problems(copy.deepcopy(app.openapi()))
        schema["servers"] = [{"url": root_path}]
        return JSONResponse(schema)

    app.add_route(url, openapi, include_in_schema=False)


def _openapi_with_auth_problems(app: FastAPI) -> Callable[[], dict[str, Any]]:
    build = app.openapi  # FastAPI's own, which caches the schema on the app

    def openapi() -> dict[str, Any]:
        return add_kernel_problems(add_auth_problems(build()))

    return openapi


def add_auth_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """Every operation that requires the bearer scheme answers 401 and 403 problems."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            requirements = operation.get("security", [])
            if not any(BEARER_SCHEME in requirement for requirement in requirements):
                continue
            responses = operation.setdefault("responses", {})
            for status, description in AUTH_PROBLEMS.items():
                # A route may describe its own 401/403; it still answers a problem document.
                response = responses.setdefault(status, {"description": description})
                response.setdefault("content", problem)
    return schema
