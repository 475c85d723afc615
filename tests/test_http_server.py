"""Every place that starts a service's uvicorn runs it on uvloop + httptools, with uvicorn's own
access line off (decision 0024): the kernel's in-process config, `make dev`'s supervisor and the
image's command line."""

import asyncio
import json
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from rich.console import Console

from mentorship.services import get_service
from mentorship.supervisor import ServiceProcess
from shared.http.server import HEAD_LIMIT_BYTES, UVICORN_OPTIONS, BoundedHttpTools, server_config

ROOT = Path(__file__).resolve().parents[1]


async def loop_module(scope, receive, send) -> None:
    """A bare ASGI app that answers with the module of the event loop serving it."""
    if scope["type"] != "http":
        return
    body = type(asyncio.get_running_loop()).__module__.encode()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


@contextmanager
def served(app) -> Iterator[uvicorn.Config]:
    """`app` under uvicorn with the kernel's config, in a thread, on a free port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = server_config(app, host="127.0.0.1", port=port, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        yield config
    finally:
        server.should_exit = True
        thread.join(10)


def test_a_service_served_in_process_runs_on_uvloop_and_httptools() -> None:
    with served(loop_module) as config:
        answer = httpx.get(f"http://127.0.0.1:{config.port}/")
    assert answer.text.startswith("uvloop")
    assert config.http_protocol_class is BoundedHttpTools
    assert config.access_log is False


def raw_exchange(port: int, request: bytes) -> bytes:
    """What the server answers to `request` until it closes the connection or goes quiet."""
    with socket.create_connection(("127.0.0.1", port), timeout=2) as connection:
        try:
            connection.sendall(request)
        except OSError:  # refused and closed while we were still sending
            pass
        answer = b""
        try:
            while chunk := connection.recv(65536):
                answer += chunk
        except (TimeoutError, ConnectionResetError):
            pass
        return answer


def test_a_request_head_past_the_bound_is_refused_and_its_connection_closed() -> None:
    def get(header_bytes: int) -> bytes:
        return b"GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + b"a" * header_bytes + b"\r\n\r\n"

    with served(loop_module) as config:
        small = raw_exchange(config.port, get(HEAD_LIMIT_BYTES // 2) + b"GET / HTTP/1.1\r\n")
        large = raw_exchange(config.port, get(HEAD_LIMIT_BYTES * 4))
    assert small.startswith(b"HTTP/1.1 200") and b"HTTP/1.1 400" not in small
    assert large.startswith(b"HTTP/1.1 400") and b"connection: close" in large.lower()


def test_a_body_larger_than_the_head_bound_is_not_counted_as_head() -> None:
    body = b"b" * (HEAD_LIMIT_BYTES * 8)
    head = f"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: {len(body)}\r\n\r\n".encode()
    with served(loop_module) as config:
        answer = raw_exchange(config.port, head + body + head + body)
    assert answer.count(b"HTTP/1.1 200") == 2, answer[:200]


def test_make_dev_starts_each_service_with_the_kernel_options(monkeypatch, tmp_path) -> None:
    started: list[list[str]] = []

    class Recorded:
        stdout: list[bytes] = []

        def __init__(self, argv: list[str], **_: object) -> None:
            started.append(argv)

    monkeypatch.setattr(subprocess, "Popen", Recorded)
    process = ServiceProcess(
        get_service("packs"),
        port=8001,
        env={},
        cwd=tmp_path,
        log_file=tmp_path / "packs.log",
        console=Console(file=None, quiet=True),
    )
    process.start()
    (argv,) = started
    at = argv.index(UVICORN_OPTIONS[0])
    assert tuple(argv[at : at + len(UVICORN_OPTIONS)]) == UVICORN_OPTIONS


@pytest.mark.parametrize("option", UVICORN_OPTIONS)
def test_the_image_command_line_names_every_kernel_option(option: str) -> None:
    command = next(
        line
        for line in (ROOT / "deploy" / "Dockerfile").read_text().splitlines()
        if line.startswith("CMD ")
    )
    assert option in json.loads(command.removeprefix("CMD "))[-1].split()
