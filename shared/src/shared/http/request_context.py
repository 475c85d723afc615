"""The request-context middleware: one request id per request, in logs, events and the reply.

Pure ASGI (not `BaseHTTPMiddleware`, which runs the app in a second task and was measured as
the largest cost of the HTTP stack, issue 19).
"""

import re
import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.http.forwarded_prefix import forwarded_prefix
from shared.http.problem_types import problems_base
from shared.logging import bind_contextvars, clear_contextvars
from shared.messaging import context

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def request_id_of(headers: Headers) -> str:
    """The caller's X-Request-ID if it is a plain token, else a fresh one."""
    request_id = headers.get(REQUEST_ID_HEADER, "")
    if REQUEST_ID_PATTERN.fullmatch(request_id):
        return request_id
    # Anything else would travel into logs and event envelopes: use our own.
    return str(uuid.uuid4())


class RequestContext:
    """Binds the request id (and correlation id) for the request and sends it back; problem
    types of the request are links under the gateway's prefix when it came through it."""

    def __init__(self, app: ASGIApp, *, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(Headers(scope=scope))
        clear_contextvars()
        bind_contextvars(request_id=request_id, correlation_id=request_id, service=self.service)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        token = context.correlation_id.set(request_id)
        base = problems_base.set(forwarded_prefix(scope))
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            problems_base.reset(base)
            context.correlation_id.reset(token)
