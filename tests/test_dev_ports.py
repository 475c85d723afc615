"""`mentorship dev` uses the same ports every run, and says so when it cannot."""

import io
import socket
from collections.abc import Iterator

import pytest
from rich.console import Console

from mentorship.dev import DevError, Infra, _port, _service_env, infra_urls
from mentorship.services import get_service


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_free_default_port_is_used() -> None:
    port = free_port()
    assert _port(None, port, "NATS", Console(file=io.StringIO())) == port


def test_a_taken_default_port_falls_back_to_any_free_port_and_says_so(taken_port) -> None:
    out = io.StringIO()
    assert _port(None, taken_port, "NATS", Console(file=out, width=200)) is None
    assert f"NATS: port {taken_port} is in use; using a free port instead" in out.getvalue()


def test_a_pinned_port_that_is_taken_is_an_error(taken_port) -> None:
    with pytest.raises(DevError, match=f"port {taken_port} is already in use"):
        _port(taken_port, 14222, "Postgres", Console(file=io.StringIO()))


def test_the_printed_urls_include_ready_psql_and_nats_command_lines() -> None:
    rows = infra_urls(Infra(nats_url="nats://127.0.0.1:14222", database_urls={}))
    assert rows == {
        "NATS": "nats://127.0.0.1:14222",
        "nats CLI": "nats --server nats://127.0.0.1:14222 stream ls",
    }


def test_services_log_colored_lines_in_dev_and_json_with_the_flag() -> None:
    packs = get_service("packs")
    infra = Infra(nats_url="nats://127.0.0.1:14222", database_urls={"packs": "postgresql://x"})
    assert _service_env(packs, infra)["PACKS_LOG_FORMAT"] == "console"
    assert _service_env(packs, infra, json_logs=True)["PACKS_LOG_FORMAT"] == "json"
    assert _service_env(packs, infra)["PACKS_DEV_MODE"] == "true"
