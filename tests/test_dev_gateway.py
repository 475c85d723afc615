"""`mentorship dev` starts the gateway in front of the services it runs and writes its URL."""

import io
import json
import shutil
from contextlib import ExitStack
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from rich.console import Console

from mentorship import dev_gateway
from mentorship.dev import DevError, DevOptions, Infra, _start_gateway, infra_urls
from mentorship.services import get_service, repo_root
from mentorship.stack import StackInfo, read_stack, stack_file
from shared.embedded.ports import free_port
from shared.gateway.routes import default_route_table_path
from shared.testing.fake_http import JsonHandler, serve_in_thread


class Healthy(JsonHandler):
    def do_GET(self) -> None:
        self.answer(200, {"path": self.path})


@pytest.fixture
def root(tmp_path: Path) -> Path:
    table = default_route_table_path(tmp_path)
    table.parent.mkdir(parents=True)
    shutil.copy(default_route_table_path(repo_root()), table)
    return tmp_path


def test_the_dev_gateway_routes_to_the_running_services_and_stops_with_the_stack(root):
    upstream = serve_in_thread(Healthy)
    procs = [
        SimpleNamespace(
            service=get_service("packs"), base_url=f"http://127.0.0.1:{upstream.server_port}"
        )
    ]
    port = free_port()
    infra = Infra(nats_url="nats://x", database_urls={}, gateway_port=port)
    out = io.StringIO()
    options = DevOptions(root=root, services=[get_service("packs")])
    try:
        with ExitStack() as stack:
            _start_gateway(options, infra, procs, Console(file=out, width=200), stack)
            assert infra.gateway is not None and infra.gateway.url == f"http://127.0.0.1:{port}"
            answer = httpx.get(f"{infra.gateway.url}/api/packs/v1/me/packs")
            assert answer.json() == {"path": "/v1/me/packs"}
            assert infra_urls(infra)["Gateway"] == infra.gateway.url
            gateway = infra.gateway
        assert not gateway.running  # the stack stopped it
    finally:
        upstream.shutdown()
    assert f"Gateway   http://127.0.0.1:{port}" in out.getvalue()
    assert (root / ".dev" / "gateway" / "envoy.json").is_file()


def test_a_gateway_that_cannot_start_is_a_dev_error_with_envoys_log(root, monkeypatch):
    monkeypatch.setenv(dev_gateway.CORS_ORIGINS_ENV, "http://localhost:*")
    monkeypatch.setattr("shared.gateway.filters.origin_regex", lambda origin: "^(?=x)$")
    infra = Infra(nats_url="nats://x", database_urls={}, gateway_port=free_port())
    with ExitStack() as stack, pytest.raises(DevError, match="invalid perl operator"):
        _start_gateway(
            DevOptions(root=root, services=[]), infra, [], Console(file=io.StringIO()), stack
        )


@pytest.mark.parametrize(
    ("value", "origins"),
    [
        (None, ("http://localhost:*", "http://127.0.0.1:*")),
        (
            "https://app.example.com, http://localhost:3000",
            ("https://app.example.com", "http://localhost:3000"),
        ),
        ("", ()),
    ],
)
def test_cors_origins_come_from_the_environment(monkeypatch, value, origins):
    if value is None:
        monkeypatch.delenv(dev_gateway.CORS_ORIGINS_ENV, raising=False)
    else:
        monkeypatch.setenv(dev_gateway.CORS_ORIGINS_ENV, value)
    assert dev_gateway.cors_origins() == origins


def test_a_stack_file_written_before_the_gateway_still_loads(tmp_path):
    stack_file(tmp_path).parent.mkdir(parents=True)
    stack_file(tmp_path).write_text(json.dumps({"nats_url": "nats://x", "services": {}}))
    assert read_stack(tmp_path) == StackInfo(nats_url="nats://x", services={}, gateway_url="")
