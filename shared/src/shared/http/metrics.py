"""HTTP request count and latency per route template and status (`mentorship_http_*`), and the
sampled access line (`shared.logging.log_access`)."""

import time
from typing import Any

from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.logging import log_access

HTTP_REQUESTS = Counter(
    "mentorship_http_requests_total",
    "HTTP requests answered, by route template and status",
    ["service", "method", "route", "status"],
)
HTTP_SECONDS = Histogram(
    "mentorship_http_request_duration_seconds",
    "Time to answer one HTTP request, by route template and status",
    ["service", "method", "route", "status"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
UNMATCHED = "unmatched"  # 404s keep their own label, so scanners cannot blow up the series


def route_template(scope: Scope) -> str:
    """`/v1/packs/{pack_id}`, not the concrete path; `unmatched` when no route matched."""
    route: Any = scope.get("route")
    return getattr(route, "path", None) or UNMATCHED


class HttpMetrics:
    """Pure ASGI middleware: observes every HTTP request once the app is done with it."""

    def __init__(self, app: ASGIApp, *, service: str) -> None:
        self.app = app
        self.service = service
        # The labelled children per (method, route, status): `labels()` per request cost more
        # than the observation itself. As bounded as the series they stand for.
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client sees if the app fails before answering

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            seconds = time.perf_counter() - started
            method, route = scope["method"], route_template(scope)
            children = self._children.get((method, route, status))
            if children is None:
                labels = (self.service, method, route, str(status))
                children = (HTTP_REQUESTS.labels(*labels), HTTP_SECONDS.labels(*labels))
                self._children[(method, route, status)] = children
            children[0].inc()
            children[1].observe(seconds)
            log_access(
                method=method, path=scope["path"], route=route, status=status, seconds=seconds
            )
