"""The one rate-limit policy table of the suite (decision 0021): route groups, their limits,
whom a limit counts, and which operations (service, method, path template) belong to each.

Limits use the `limits` library's string notation ("20/minute;5/second": every limit of a
group must hold). The gateway's coarse per-client bucket (`deploy/gateway/routes.toml`) sits
in front of these; the services keep these per-user ones and apply them when called directly.
"""

from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cache

from limits import RateLimitItem, parse_many


class KeyKind(StrEnum):
    """Whom one counter counts."""

    user_or_address = "user_or_address"  # the verified token's user; the client address without
    address = "address"  # the client address, always
    provider = "provider"  # the provider that calls the route (one counter per provider)


@dataclass(frozen=True)
class RouteRef:
    """One operation: the service, the HTTP method and the route's path template."""

    service: str
    method: str
    path: str
    provider: str = ""  # for KeyKind.provider: the provider that calls this route


@dataclass(frozen=True)
class RateLimitGroup:
    name: str
    limits: str
    key: KeyKind
    routes: tuple[RouteRef, ...]
    description: str

    def items(self) -> tuple[RateLimitItem, ...]:
        """The parsed limits, longest window first."""
        return _parsed(self.limits)


@cache
def _parsed(limits: str) -> tuple[RateLimitItem, ...]:
    return tuple(sorted(parse_many(limits), key=lambda item: -item.get_expiry()))


def _routes(service: str, *pairs: tuple[str, str], provider: str = "") -> tuple[RouteRef, ...]:
    return tuple(RouteRef(service, method, path, provider) for method, path in pairs)


CHECKOUT = RateLimitGroup(
    name="checkout",
    limits="10/minute;2/second",
    key=KeyKind.user_or_address,
    routes=_routes(
        "payments",
        ("POST", "/v1/checkout"),
        ("POST", "/v1/checkout/paypal/{order_id}/capture"),
    )
    # Joining or leaving a full mentor's waitlist: the other answer to "is a seat free?",
    # under the same mentor lock as a checkout's seat hold, counted in the same budget.
    + _routes(
        "packs",
        ("POST", "/v1/mentors/{mentor_id}/waitlist"),
        ("DELETE", "/v1/mentors/{mentor_id}/waitlist"),
    ),
    description="starting or capturing a checkout, joining or leaving a waitlist, per student",
)
BOOKING = RateLimitGroup(
    name="booking",
    limits="30/minute;5/second",
    key=KeyKind.user_or_address,
    routes=_routes(
        "booking",
        ("POST", "/v1/slot-holds"),
        ("POST", "/v1/sessions"),
        ("POST", "/v1/sessions/{session_id}/reschedule"),
        ("POST", "/v1/sessions/{session_id}/cancel"),
    ),
    description="holding, booking, rescheduling and canceling sessions, per user",
)
AVAILABILITY = RateLimitGroup(
    name="availability",
    limits="120/minute;10/second",
    key=KeyKind.user_or_address,
    routes=_routes(
        "booking",
        ("GET", "/v1/mentors/{mentor_id}/availability"),
        # Polled by calendar clients with no token (the secret is in the path): per address.
        ("GET", "/v1/calendar-feeds/{token}.ics"),
    ),
    description="a mentor's open slots and private calendar feeds, per user (per client "
    "address when anonymous)",
)
SEARCH = RateLimitGroup(
    name="search",
    limits="120/minute;10/second",
    key=KeyKind.user_or_address,
    routes=_routes("search", ("GET", "/v1/mentors/search"), ("GET", "/v1/mentors/suggest")),
    description="the mentor directory, per user (per client address when anonymous)",
)
# Generous: a provider's delivery burst (a replay of the last day's events) must pass; a 429
# is not a loss (providers retry it) and every one is logged and counted.
WEBHOOKS = RateLimitGroup(
    name="webhooks",
    limits="6000/minute;200/second",
    key=KeyKind.provider,
    routes=(
        *_routes("payments", ("POST", "/v1/webhooks/stripe"), provider="stripe"),
        *_routes("payments", ("POST", "/v1/webhooks/paypal"), provider="paypal"),
        *_routes("notifications", ("POST", "/v1/webhooks/clerk"), provider="clerk"),
        *_routes("video", ("POST", "/v1/agora/events"), provider="agora"),
    ),
    description="provider webhooks, per provider",
)
TOKEN_ISSUE = RateLimitGroup(
    name="token",
    limits="30/minute;3/second",
    key=KeyKind.user_or_address,
    routes=_routes("video", ("POST", "/v1/sessions/{session_id}/token")),
    description="video tokens, per user",
)
# Counted on every 401 a service answers; past it, the address gets 429 on every operation
# (operations paths excepted) until its window has room again.
AUTH_FAILURES = RateLimitGroup(
    name="auth-failures",
    limits="30/minute",
    key=KeyKind.address,
    routes=(),
    description="401 answers, per client address",
)

GROUPS: tuple[RateLimitGroup, ...] = (
    CHECKOUT,
    BOOKING,
    AVAILABILITY,
    SEARCH,
    WEBHOOKS,
    TOKEN_ISSUE,
    AUTH_FAILURES,
)


def groups_of(service: str) -> dict[tuple[str, str], tuple[RateLimitGroup, RouteRef]]:
    """(method, path template) -> its group and route, for the routes of `service`."""
    return {
        (route.method, route.path): (group, route)
        for group in GROUPS
        for route in group.routes
        if route.service == service
    }


def with_overrides(overrides: dict[str, str]) -> tuple[RateLimitGroup, ...]:
    """The table with some groups' limits replaced (`<SERVICE>_RATE_LIMIT_OVERRIDES`);
    ValueError names an unknown group or a limit the `limits` notation cannot read."""
    known = {group.name: group for group in GROUPS}
    for name, limits in overrides.items():
        if name not in known:
            raise ValueError(f"no rate-limit group {name!r}; known: {', '.join(known)}")
        try:
            parse_many(limits)
        except ValueError as exc:
            raise ValueError(f"rate limit of {name!r} is not valid: {limits!r}") from exc
    return tuple(
        replace(group, limits=overrides[group.name]) if group.name in overrides else group
        for group in GROUPS
    )
