"""How every service's uvicorn starts (decision 0024): uvloop's event loop and httptools'
HTTP/1.1 parser, named rather than left to uvicorn's `auto`, so that a process without them
fails at start-up instead of serving half as many requests on asyncio + h11; uvicorn's own
access line off (the kernel writes its own, sampled: `shared.logging.log_access`)."""

from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

HEAD_LIMIT_BYTES = 64 * 1024  # above the gateway's 60 KiB of headers: it never trips behind it


class BoundedHttpTools(HttpToolsProtocol):
    """uvicorn's httptools protocol with a bound on a request's head (request line and
    headers), which h11 has and httptools lacks: past it, 400 and the connection closed, as
    h11 answers. Counted per chunk still inside a head after parsing, so a chunk that ends one
    pipelined request's body and starts the next head counts whole (at most one read over)."""

    _in_head = True
    _head_bytes = 0

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if not self._in_head or self.transport.is_closing():
            return
        self._head_bytes += len(data)
        if self._head_bytes > HEAD_LIMIT_BYTES:
            self.send_400_response("Request head too large.")

    def on_headers_complete(self) -> None:
        self._in_head, self._head_bytes = False, 0
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._in_head = True


LOOP = "uvloop"
HTTP = f"{__name__}:{BoundedHttpTools.__name__}"
UVICORN_OPTIONS = ("--loop", LOOP, "--http", HTTP, "--no-access-log")
"""The `uvicorn` command-line options of a service process (the Dockerfile spells them too)."""


def server_config(app: Any, *, host: str, port: int, **options: Any) -> uvicorn.Config:
    """`uvicorn.Config` of a service served in-process, with the options above."""
    return uvicorn.Config(
        app, host=host, port=port, loop=LOOP, http=HTTP, access_log=False, **options
    )
