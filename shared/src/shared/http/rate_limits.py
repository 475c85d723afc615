"""ASGI middleware: the rate-limit policy table (`rate_limit_policy`) enforced on this service.

A route of a group counts one hit per request on every limit of its group, keyed by the
verified token's user (or the client address without one; or the provider for webhooks);
past a limit: 429 problem+json `RATE_LIMITED` with `Retry-After`. Answers of limited routes
carry the `RateLimit-Policy` and `RateLimit` fields of draft-ietf-httpapi-ratelimit-headers-09.
Every 401 counts against the client address (`auth-failures`); past that limit the address
gets 429 on every operation until its window has room.
"""

import math
from collections.abc import Iterable
from functools import cache

from prometheus_client import Counter
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.auth import TokenVerifier, Unauthorized
from shared.http.problems import problem
from shared.http.rate_limit_policy import AUTH_FAILURES, KeyKind, RateLimitGroup, RouteRef
from shared.http.rate_limit_storage import LimitCounters, Outcome
from shared.logging import get_logger

log = get_logger(__name__)

RATE_LIMITED = Counter(
    "mentorship_http_rate_limited_total",
    "Requests refused with 429 by a rate-limit group",
    ["service", "group"],
)
UNKNOWN_ADDRESS = "unknown"


def policy_name(group: RateLimitGroup, outcome_or_window: Outcome | int) -> str:
    """The group's name, with the window when the group has several limits."""
    if len(group.items()) == 1:
        return group.name
    window = (
        outcome_or_window
        if isinstance(outcome_or_window, int)
        else outcome_or_window.item.get_expiry()
    )
    return f"{group.name}-{window}s"


@cache
def policy_header(group: RateLimitGroup) -> str:
    """`"booking-60s";q=30;w=60, "booking-1s";q=5;w=1` (a structured-field list)."""
    return ", ".join(
        f'"{policy_name(group, item.get_expiry())}";q={item.amount};w={item.get_expiry()}'
        for item in group.items()
    )


def limit_header(group: RateLimitGroup, outcomes: Iterable[Outcome]) -> str:
    """`"booking-60s";r=12;t=41, ...`: what is left of each limit and seconds to its reset."""
    return ", ".join(
        f'"{policy_name(group, o)}";r={max(o.remaining, 0)};t={math.ceil(o.reset_seconds)}'
        for o in outcomes
    )


def client_address(scope: Scope) -> str:
    """The peer uvicorn reports (X-Forwarded-For is applied by uvicorn for trusted proxies)."""
    client = scope.get("client")
    return str(client[0]) if client else UNKNOWN_ADDRESS


def bearer_token(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return token.strip() if scheme.lower() == "bearer" else ""
    return ""


class RateLimits:
    """Pure ASGI middleware; `exempt` paths (health, readiness, metrics) are never limited."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        service: str,
        groups: tuple[RateLimitGroup, ...],
        counters: LimitCounters,
        verifier: TokenVerifier,
        exempt: frozenset[str],
    ) -> None:
        self.app = app
        self.service = service
        self.counters = counters
        self.verifier = verifier
        self.exempt = exempt
        self.auth_failures = next(g for g in groups if g.name == AUTH_FAILURES.name)
        # Starlette's own compilation of a path template (`{session_id}` is one segment).
        self.patterns = [
            (route.method, compile_path(route.path)[0], group, route)
            for group in groups
            for route in group.routes
            if route.service == service
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.exempt:
            await self.app(scope, receive, send)
            return
        address = client_address(scope)
        matched = self._match(scope)
        by_provider = matched is not None and matched[0].key is KeyKind.provider
        if not by_provider and (locked := await self._auth_failure_lockout(address)):
            retry = max(1, math.ceil(locked.reset_seconds))
            await self._refuse(
                scope, receive, send, self.auth_failures, [locked], retry_after=retry
            )
            return
        headers: list[tuple[bytes, bytes]] = []
        if matched is not None:
            group, route = matched
            key = await self._key(scope, group, route, address)
            outcomes: list[Outcome] = []
            for item in group.items():
                outcome = await self.counters.hit(item, self.service, group.name, key)
                outcomes.append(outcome)
                if not outcome.allowed:
                    retry = max(1, math.ceil(outcome.reset_seconds))
                    self._log_refusal(group, route, retry)
                    await self._refuse(scope, receive, send, group, outcomes, retry_after=retry)
                    return
            headers = [
                (b"ratelimit-policy", policy_header(group).encode()),
                (b"ratelimit", limit_header(group, outcomes).encode()),
            ]

        async def observed_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                if message["status"] == 401:
                    await self._count_auth_failure(address)
                if headers:
                    message["headers"] = [*message.get("headers", []), *headers]
            await send(message)

        await self.app(scope, receive, observed_send)

    def _match(self, scope: Scope) -> tuple[RateLimitGroup, RouteRef] | None:
        """The group of the route template this request's method and path match."""
        path = scope["path"]
        root = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :]
        # HEAD runs the GET route's handler (Starlette answers it), so it counts as a GET.
        asked = "GET" if scope["method"] == "HEAD" else scope["method"]
        for method, pattern, group, route in self.patterns:
            if method == asked and pattern.match(path):
                return group, route
        return None

    async def _key(self, scope: Scope, group: RateLimitGroup, route: RouteRef, address: str) -> str:
        if group.key is KeyKind.provider:
            return f"provider:{route.provider}"
        if group.key is KeyKind.user_or_address and (token := bearer_token(scope)):
            try:
                user = await self.verifier.verify(token)
            except Unauthorized:
                pass  # the route answers 401 (and counts an auth failure); count the address
            else:
                return f"user:{user.id}"
        return f"address:{address}"

    async def _count_auth_failure(self, address: str) -> None:
        for item in self.auth_failures.items():
            await self.counters.hit(item, self.service, self.auth_failures.name, address)

    async def _auth_failure_lockout(self, address: str) -> Outcome | None:
        """The auth-failure limit that this address has used up, if any."""
        for item in self.auth_failures.items():
            outcome = await self.counters.peek(item, self.service, self.auth_failures.name, address)
            if not outcome.allowed:
                return outcome
        return None

    def _log_refusal(self, group: RateLimitGroup, route: RouteRef, retry_after: int) -> None:
        if group.key is KeyKind.provider:
            # A provider retries a 429, so nothing is lost; still, every one is visible.
            log.warning(
                "rate_limit.webhook_refused",
                provider=route.provider,
                path=route.path,
                retry_after=retry_after,
            )

    async def _refuse(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        group: RateLimitGroup,
        outcomes: list[Outcome],
        *,
        retry_after: int,
    ) -> None:
        RATE_LIMITED.labels(self.service, group.name).inc()
        headers = {"Retry-After": str(retry_after), "RateLimit-Policy": policy_header(group)}
        if outcomes:
            headers["RateLimit"] = limit_header(group, outcomes)
        detail = (
            f"the {group.name} limit ({group.limits}, {group.description}) is reached; "
            f"retry after {retry_after} s"
        )
        response = problem(429, "RATE_LIMITED", "Too many requests", detail, headers=headers)
        await response(scope, receive, send)
