"""Behind the gateway (`/api/<service>/...`, prefix stripped), a service's docs still work.

The gateway sends `X-Forwarded-Prefix: /api/<service>` (and removes any client copy). Taken as
the ASGI `root_path`, it makes Swagger UI and ReDoc load `/api/<service>/openapi.json` and
their assets under the prefix, and puts the prefix in the OpenAPI `servers`, so that "Try it
out" calls the gateway. Routing is unchanged: Starlette strips the root path again.
"""

import re

from starlette.types import ASGIApp, Receive, Scope, Send

HEADER = b"x-forwarded-prefix"
# A path of one to four plain segments; anything else is ignored, never echoed into a page.
PREFIX_PATTERN = re.compile(r"(/[a-z0-9][a-z0-9_-]{0,40}){1,4}")


class ForwardedPrefix:
    """ASGI middleware: `X-Forwarded-Prefix` becomes the request's `root_path`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            prefix = forwarded_prefix(scope)
            if prefix:
                # ASGI: `path` includes `root_path`; routing strips it again (Starlette).
                scope = {
                    **scope,
                    "root_path": scope.get("root_path", "") + prefix,
                    "path": prefix + scope["path"],
                }
                if raw_path := scope.get("raw_path"):
                    scope["raw_path"] = prefix.encode() + raw_path
        await self.app(scope, receive, send)


def forwarded_prefix(scope: Scope) -> str:
    """The valid prefix the request carries, or ""."""
    for name, value in scope.get("headers", ()):
        if name == HEADER:
            prefix = value.decode("latin-1")
            return prefix if PREFIX_PATTERN.fullmatch(prefix) else ""
    return ""
