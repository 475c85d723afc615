"""ASGI middleware: a request body over its route's size is refused with 413 problem+json
`PAYLOAD_TOO_LARGE` without being read (Content-Length first, a chunked body counted as it
streams), and a body that has not fully arrived by the read deadline gets 408
`REQUEST_TIMEOUT`; both close the connection (decision 0021)."""

import asyncio
from typing import Any

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.http.body_limits import body_limit
from shared.http.problems import problem


class BodyRefused(HTTPException):
    """Raised from `receive()`: an HTTPException, so that FastAPI's body parsing re-raises it
    (any other error there becomes a 400); the middleware answers in place of the app."""


def content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def may_have_body(scope: Scope) -> bool:
    """False when HTTP/1.1 framing says there is none: no Content-Length (or 0), not chunked."""
    for name, value in scope.get("headers", ()):
        if name == b"transfer-encoding" or (name == b"content-length" and value != b"0"):
            return True
    return False


def too_large(limit: int) -> JSONResponse:
    return problem(
        413,
        "PAYLOAD_TOO_LARGE",
        "Request body too large",
        f"this route takes at most {limit} bytes",
        headers={"Connection": "close"},
    )


def too_slow(seconds: float) -> JSONResponse:
    return problem(
        408,
        "REQUEST_TIMEOUT",
        "Request body too slow",
        f"the body must arrive within {seconds:g} s",
        headers={"Connection": "close"},
    )


class BodyLimits:
    """Applies `shared.http.body_limits` to `service` and the body-read deadline."""

    def __init__(self, app: ASGIApp, *, service: str, read_timeout_seconds: float) -> None:
        self.app = app
        self.service = service
        self.read_timeout_seconds = read_timeout_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not may_have_body(scope):
            await self.app(scope, receive, send)  # nothing to bound or to wait for
            return
        limit = body_limit(self.service, scope["path"])
        declared = content_length(scope)
        if declared is not None and declared > limit:
            await too_large(limit)(scope, receive, send)
            return
        deadline = asyncio.get_running_loop().time() + self.read_timeout_seconds
        state: dict[str, Any] = {"received": 0, "complete": False, "refusal": None}
        started = False

        async def limited_receive() -> Message:
            if state["complete"]:
                return await receive()  # after the body: a disconnect, never timed
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                state["refusal"] = too_slow(self.read_timeout_seconds)
                raise BodyRefused(408) from None
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > limit:
                    state["refusal"] = too_large(limit)
                    raise BodyRefused(413)
                state["complete"] = not message.get("more_body", False)
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if state["refusal"] is not None and not started:
                return  # the app's answer to BodyRefused; ours follows
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except BodyRefused:
            if started:
                raise
        if state["refusal"] is not None and not started:
            await state["refusal"](scope, receive, send)
