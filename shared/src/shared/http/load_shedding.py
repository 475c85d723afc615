"""ASGI middleware: at most N requests in flight per service process; past it, an immediate
503 problem+json `OVERLOADED` with `Retry-After` instead of a queue (decision 0021)."""

from prometheus_client import Counter, Gauge
from starlette.types import ASGIApp, Receive, Scope, Send

from shared.http.problems import problem

RETRY_AFTER_SECONDS = 1
IN_FLIGHT = Gauge(
    "mentorship_http_requests_in_flight",
    "HTTP requests being answered now (operations paths excepted)",
    ["service"],
)
SHED = Counter(
    "mentorship_http_shed_total",
    "Requests refused with 503 OVERLOADED because the service had its bound in flight",
    ["service"],
)


class InFlightLimit:
    """Counts requests being answered; `limit` 0 means unbounded. `exempt` paths (health,
    readiness, metrics) are neither counted nor refused, so operators still see the service."""

    def __init__(self, app: ASGIApp, *, service: str, limit: int, exempt: frozenset[str]) -> None:
        self.app = app
        self.service = service
        self.limit = limit
        self.exempt = exempt
        self.in_flight = 0  # one event loop per process: no lock needed
        self._gauge = IN_FLIGHT.labels(service)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.limit <= 0 or scope["path"] in self.exempt:
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit:
            SHED.labels(self.service).inc()
            response = problem(
                503,
                "OVERLOADED",
                "The service is at capacity",
                f"{self.limit} requests are in flight; nothing was done, retry shortly",
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
            await response(scope, receive, send)
            return
        self.in_flight += 1
        self._gauge.inc()
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
            self._gauge.dec()
