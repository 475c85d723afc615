"""The overload and request limits every service gets from the kernel app factory, and their
place in each OpenAPI document (decision 0021)."""

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from shared.http.body_limits import body_limit
from shared.http.load_shedding import InFlightLimit
from shared.http.problem_docs import OPERATIONAL_PATHS
from shared.http.rate_limit_policy import GROUPS, KeyKind, RateLimitGroup, with_overrides
from shared.http.rate_limit_storage import LimitCounters
from shared.http.rate_limits import RateLimits
from shared.http.request_limits import BodyLimits
from shared.runtime import Runtime

EXEMPT_PATHS = frozenset(OPERATIONAL_PATHS)
PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
BODY = {"content": PROBLEM}
RATE_LIMIT_HEADERS = {
    "Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}},
    "RateLimit-Policy": {
        "description": "the group's quotas (draft-ietf-httpapi-ratelimit-headers-09)",
        "schema": {"type": "string"},
    },
    "RateLimit": {"description": "what is left and when it resets", "schema": {"type": "string"}},
}


def install_limits(app: FastAPI, runtime: Runtime) -> None:
    """Body limits innermost, then rate limits, then the in-flight bound (outermost, so a
    shed request costs nothing). Call between ProblemOnCrash and HttpMetrics."""
    settings = runtime.settings
    groups = with_overrides(settings.rate_limit_overrides)
    app.add_middleware(
        BodyLimits,
        service=runtime.service,
        read_timeout_seconds=settings.body_read_timeout_seconds,
    )
    if settings.rate_limits_enabled:
        counters = LimitCounters(
            settings.rate_limit_storage_url,
            service=runtime.service,
            key_prefix=settings.rate_limit_key_prefix,
        )
        app.add_middleware(
            RateLimits,
            service=runtime.service,
            groups=groups,
            counters=counters,
            verifier=app.state.verifier,
            exempt=EXEMPT_PATHS,
        )
    app.add_middleware(
        InFlightLimit,
        service=runtime.service,
        limit=settings.requests_in_flight_limit,
        exempt=EXEMPT_PATHS,
    )
    app.openapi = _with_limit_problems(app.openapi, runtime.service, groups)  # type: ignore[method-assign]


def _with_limit_problems(
    build: Callable[[], dict[str, Any]], service: str, groups: tuple[RateLimitGroup, ...]
) -> Callable[[], dict[str, Any]]:
    def openapi() -> dict[str, Any]:
        return add_limit_problems(build(), service=service, groups=groups)

    return openapi


def add_limit_problems(
    schema: dict[str, Any], *, service: str, groups: tuple[RateLimitGroup, ...] = GROUPS
) -> dict[str, Any]:
    """429 on every operation (the auth-failure limit applies to all; a group's own limit is
    named), 413 and 408 on every operation that takes a body, 503 OVERLOADED (in place)."""
    grouped = {
        (route.method.lower(), route.path): group
        for group in groups
        for route in group.routes
        if route.service == service
    }
    auth_failures = next(group for group in groups if group.key is KeyKind.address)
    for path, path_item in schema.get("paths", {}).items():
        if path in OPERATIONAL_PATHS:
            continue
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            group = grouped.get((method, path))
            limits = [f"auth failures of the address: {auth_failures.limits}"]
            if group is not None:
                limits.insert(0, f"group {group.name}: {group.limits} {group.description}")
            responses.setdefault(
                "429",
                {
                    "description": "RATE_LIMITED: " + "; ".join(limits),
                    "headers": RATE_LIMIT_HEADERS,
                    "content": PROBLEM,
                },
            )
            if operation.get("requestBody") or method in {"post", "put", "patch"}:
                limit = body_limit(service, path)
                responses.setdefault(
                    "413",
                    {"description": f"PAYLOAD_TOO_LARGE: over {limit} bytes", "content": PROBLEM},
                )
                responses.setdefault(
                    "408",
                    {"description": "REQUEST_TIMEOUT: the body came too slowly", **BODY},
                )
            unavailable = responses.setdefault("503", {"description": "", "content": PROBLEM})
            if "OVERLOADED" not in unavailable.get("description", ""):
                unavailable["description"] = (
                    f"{unavailable['description']}; " if unavailable["description"] else ""
                ) + "OVERLOADED: too many requests in flight; DATABASE_BUSY: no connection free"
    return schema
