"""Free TCP ports, readiness polling and log tails for locally started servers."""

import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port on `host` that nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def start_on_a_port(fixed_port: int | None, start: Callable[[int], T], *, attempts: int = 3) -> T:
    """`start(port)` on `fixed_port`, or on a free port, retrying when a picked port was taken
    between the probe and the bind (`start` raises RuntimeError for that)."""
    for attempt in range(1, (1 if fixed_port else attempts) + 1):
        try:
            return start(fixed_port or free_port())
        except RuntimeError:
            if fixed_port or attempt == attempts:
                raise
    raise AssertionError("unreachable")


def port_is_open(host: str, port: int, *, timeout: float = 0.5) -> bool:
    """True when something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_until(check: Callable[[], bool], *, timeout: float, interval: float = 0.1) -> bool:
    """Call `check()` until it returns True (-> True) or `timeout` seconds pass (-> False)."""
    deadline = time.monotonic() + timeout
    while True:
        if check():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


def log_tail(path: Path, *, lines: int = 30) -> str:
    """The last lines of a log file, or a note that there is none."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"(no log at {path})"
    return "\n".join(text.splitlines()[-lines:])
