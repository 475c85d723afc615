"""Loopback stand-ins for third-party HTTP APIs (Stripe, PayPal, Meilisearch, a service)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class JsonHandler(BaseHTTPRequestHandler):
    """A fake API's request handler: logs nothing, answers JSON (or given bytes)."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def answer(self, status: int, body: object) -> None:
        self.send_bytes(status, json.dumps(body).encode())

    def send_bytes(self, status: int, data: bytes, kind: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def serve_in_thread(handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    """`handler` on a free loopback port, served from a daemon thread until `shutdown()`."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    return server
