"""The gateway's own refusals as problem+json, in the shape the services answer (problems.py).

Envoy's `local_reply_config` rewrites every reply the gateway makes itself (never a service's
answer): each mapper matches one kind of refusal and gives it a stable code.
"""

from dataclasses import dataclass
from typing import Any

PROBLEM_JSON = "application/problem+json"
NOT_FOUND_HEADER = "x-gateway-route-not-found"  # set by the catch-all route only
RETRY_AFTER_SECONDS = 2  # the services' own 503s say the same (shared.http.problems)


@dataclass(frozen=True)
class Refusal:
    """One kind of refusal the gateway answers itself."""

    code: str
    status: int
    title: str
    description: str
    retry_after: int | None = None


ROUTE_NOT_FOUND = Refusal(
    "ROUTE_NOT_FOUND",
    404,
    "No route for this path",
    "The gateway routes /api/<service>/... and the public webhook and OAuth paths only.",
)
UNAUTHORIZED = Refusal(
    "UNAUTHORIZED",
    401,
    "Bearer token rejected",
    "A bearer token was sent but is expired, forged, malformed or not for this audience.",
)
FORBIDDEN = Refusal(
    "FORBIDDEN", 403, "Token not accepted here", "The token's issuer or audience is not ours."
)
PAYLOAD_TOO_LARGE = Refusal(
    "PAYLOAD_TOO_LARGE",
    413,
    "Request body too large",
    "The body is larger than this route takes (see deploy/gateway/routes.toml).",
)
RATE_LIMITED = Refusal(
    "RATE_LIMITED",
    429,
    "Too many requests",
    "This client sent more requests than the gateway takes per second; retry after "
    "the Retry-After seconds.",
    retry_after=1,
)
UPSTREAM_UNAVAILABLE = Refusal(
    "UPSTREAM_UNAVAILABLE",
    503,
    "The service does not answer",
    "The service behind this route is down or not started; nothing reached it.",
    retry_after=RETRY_AFTER_SECONDS,
)
UPSTREAM_TIMEOUT = Refusal(
    "UPSTREAM_TIMEOUT",
    504,
    "The service did not answer in time",
    "The service behind this route took longer than the gateway's route timeout.",
    retry_after=RETRY_AFTER_SECONDS,
)
GATEWAY_ERROR = Refusal(
    "GATEWAY_ERROR",
    400,
    "The gateway refused the request",
    "The gateway could not pass the request on; `detail` says why.",
)

REFUSALS: tuple[Refusal, ...] = (
    ROUTE_NOT_FOUND,
    UNAUTHORIZED,
    FORBIDDEN,
    PAYLOAD_TOO_LARGE,
    RATE_LIMITED,
    UPSTREAM_UNAVAILABLE,
    UPSTREAM_TIMEOUT,
    GATEWAY_ERROR,
)

# Envoy's response flags (access-log letters) that say which refusal a local reply is.
_FLAGS = {
    UPSTREAM_UNAVAILABLE.code: ["UF", "UH", "URX", "UO"],
    UPSTREAM_TIMEOUT.code: ["UT"],
}
_STATUSES = {
    UNAUTHORIZED.code: 401,
    FORBIDDEN.code: 403,
    PAYLOAD_TOO_LARGE.code: 413,
    RATE_LIMITED.code: 429,
}


def problem_type_uri(code: str) -> str:
    """The problem's `type`, a page the gateway serves (see `problem_pages`)."""
    return f"/problems/{code}"


def _body(refusal: Refusal, *, status: int | str, detail: str) -> dict[str, Any]:
    return {
        "json_format": {
            "type": problem_type_uri(refusal.code),
            "title": refusal.title,
            "status": status,
            "code": refusal.code,
            "detail": detail,
            "request_id": "%REQ(X-REQUEST-ID)%",
        },
        "content_type": PROBLEM_JSON,
    }


def _mapper(refusal: Refusal, match: dict[str, Any], *, detail: str) -> dict[str, Any]:
    mapper: dict[str, Any] = {
        "filter": match,
        "status_code": refusal.status,
        "body_format_override": _body(refusal, status=refusal.status, detail=detail),
    }
    if refusal.retry_after is not None:
        mapper["headers_to_add"] = [
            {
                "header": {"key": "Retry-After", "value": str(refusal.retry_after)},
                "append_action": "OVERWRITE_IF_EXISTS_OR_ADD",
            }
        ]
    return mapper


def _status_is(status: int) -> dict[str, Any]:
    return {
        "status_code_filter": {
            "comparison": {
                "op": "EQ",
                "value": {"default_value": status, "runtime_key": f"gateway.status_{status}"},
            }
        }
    }


def local_reply_config() -> dict[str, Any]:
    """Envoy's local_reply_config: one mapper per refusal, a generic problem for the rest."""
    # First: the catch-all route's refusal (no endpoint, 503 by Envoy) is a 404 here.
    not_found = {"header_filter": {"header": {"name": NOT_FOUND_HEADER, "present_match": True}}}
    mappers = [_mapper(ROUTE_NOT_FOUND, not_found, detail=ROUTE_NOT_FOUND.description)]
    mappers += [
        _mapper(
            refusal,
            {"response_flag_filter": {"flags": _FLAGS[refusal.code]}},
            detail=refusal.description,
        )
        for refusal in (UPSTREAM_UNAVAILABLE, UPSTREAM_TIMEOUT)
    ]

    mappers += [
        _mapper(refusal, _status_is(_STATUSES[refusal.code]), detail="%LOCAL_REPLY_BODY%")
        for refusal in (UNAUTHORIZED, FORBIDDEN, PAYLOAD_TOO_LARGE, RATE_LIMITED)
    ]
    # Anything else Envoy refuses itself (a malformed request, a bad header...); not the
    # gateway's own 200 pages (`problem_pages`), which are local replies too.
    mappers.append(
        {
            "filter": {
                "status_code_filter": {
                    "comparison": {
                        "op": "GE",
                        "value": {"default_value": 400, "runtime_key": "gateway.status_refused"},
                    }
                }
            },
            "body_format_override": _body(
                GATEWAY_ERROR, status="%RESPONSE_CODE%", detail="%LOCAL_REPLY_BODY%"
            ),
        }
    )
    return {"mappers": mappers}


def _page(refusal: Refusal) -> str:
    return f"{refusal.code} ({refusal.status}): {refusal.description}\n"


def problem_pages() -> list[dict[str, Any]]:
    """Routes answering `/problems/<CODE>` for the gateway's own codes, as the services do."""
    return [
        {
            "name": f"problem_{refusal.code.lower()}",
            "match": {"path": problem_type_uri(refusal.code)},
            "direct_response": {
                "status": 200,
                "body": {"inline_string": _page(refusal)},
            },
            "response_headers_to_add": [
                {
                    "header": {"key": "Content-Type", "value": "text/plain; charset=utf-8"},
                    "append_action": "OVERWRITE_IF_EXISTS_OR_ADD",
                }
            ],
        }
        for refusal in REFUSALS
    ]


# What a client reaching a service through the gateway may get from the gateway itself, on
# every operation (413 only where a body is sent): declared in the OpenAPI the service serves
# under its `/api/<service>` prefix (shared.http.docs).
_ON_EVERY_OPERATION = (UNAUTHORIZED, RATE_LIMITED, UPSTREAM_UNAVAILABLE, UPSTREAM_TIMEOUT)


def add_gateway_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """Document the gateway's own refusals on every operation of `schema` (in place)."""
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            refusals = list(_ON_EVERY_OPERATION)
            if operation.get("requestBody"):
                refusals.append(PAYLOAD_TOO_LARGE)
            responses = operation["responses"]
            for refusal in refusals:
                note = f"{refusal.code} (from the gateway): {refusal.description}"
                response = responses.setdefault(str(refusal.status), {"description": note})
                if note not in response["description"]:
                    response["description"] = f"{response['description']}; {note}"
                response.setdefault("content", problem)
    return schema
