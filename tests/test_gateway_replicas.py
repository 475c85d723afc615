"""The gateway in front of several replicas of a service (decision 0034): requests are spread
over every replica, and one that is down costs no failed request — a connection it refuses is
tried on another replica, and the dead one is left out."""

import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from mentorship.services import repo_root
from shared.auth_dev import DEV_JWT_SECRET
from shared.embedded import free_port
from shared.embedded.gateway import EmbeddedGateway
from shared.gateway.envoy import JwtSettings, render_envoy_config
from shared.gateway.routes import default_route_table_path, load_route_table

TABLE = load_route_table(default_route_table_path(repo_root()))


def replica(name: str) -> tuple[ThreadingHTTPServer, str]:
    """A stand-in service that says which replica answered."""

    class Answer(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            body = name.encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


@pytest.fixture
def two_replicas() -> Iterator[list[tuple[ThreadingHTTPServer, str]]]:
    servers = [replica("one"), replica("two")]
    yield servers
    for server, _ in servers:
        server.shutdown()
        server.server_close()


def test_each_replica_is_an_endpoint_of_its_service_and_one_url_stays_as_it_was():
    config = render_envoy_config(
        TABLE,
        upstreams={"packs": ["http://127.0.0.1:8102", "http://127.0.0.1:8112"]},
        listen_port=8100,
        admin_port=9901,
        jwt=JwtSettings(dev_secret="s" * 32),
    )
    clusters = {c["name"]: c for c in config["static_resources"]["clusters"]}
    endpoints = clusters["svc_packs"]["load_assignment"]["endpoints"][0]["lb_endpoints"]
    ports = [e["endpoint"]["address"]["socket_address"]["port_value"] for e in endpoints]
    assert ports == [8102, 8112]
    ejection = clusters["svc_packs"]["outlier_detection"]
    assert ejection["consecutive_local_origin_failure"] == 2  # a replica that is down sits out
    # ... but not one that sheds load: its 503s are answers, not a failure of the replica
    assert (
        ejection["enforcing_consecutive_5xx"]
        == ejection["enforcing_consecutive_gateway_failure"]
        == 0
    )
    single = render_envoy_config(
        TABLE,
        upstreams={"packs": "http://127.0.0.1:8102"},
        listen_port=8100,
        admin_port=9901,
        jwt=JwtSettings(dev_secret="s" * 32),
    )
    assert "outlier_detection" not in single["static_resources"]["clusters"][1]


def test_requests_spread_over_the_replicas_and_skip_one_that_is_down(two_replicas, tmp_path):
    (first, first_url), (_, second_url) = two_replicas
    dead_url = f"http://127.0.0.1:{free_port()}"
    with EmbeddedGateway(
        TABLE,
        upstreams={"packs": [first_url, second_url, dead_url]},
        jwt=JwtSettings(dev_secret=DEV_JWT_SECRET),
        work_dir=tmp_path / "gateway",
    ) as gateway:
        with httpx.Client(base_url=gateway.url, timeout=5) as client:
            answers = [client.get("/api/packs/healthz") for _ in range(60)]
            assert [a.status_code for a in answers] == [200] * 60  # the dead one cost nothing
            assert Counter(a.text for a in answers).keys() == {"one", "two"}
            first.shutdown()
            first.server_close()  # a second replica goes away: the last one takes everything
            after = [client.get("/api/packs/healthz") for _ in range(30)]
            assert [(a.status_code, a.text) for a in after] == [(200, "two")] * 30


def test_a_replica_that_sheds_load_keeps_its_share(tmp_path):
    """Its 503 OVERLOADED is an answer: the gateway passes it on and keeps sending it work."""

    class Shedding(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    shedding = ThreadingHTTPServer(("127.0.0.1", 0), Shedding)
    threading.Thread(target=shedding.serve_forever, daemon=True).start()
    healthy, healthy_url = replica("ok")
    try:
        with EmbeddedGateway(
            TABLE,
            upstreams={"packs": [f"http://127.0.0.1:{shedding.server_port}", healthy_url]},
            jwt=JwtSettings(dev_secret=DEV_JWT_SECRET),
            work_dir=tmp_path / "gateway",
        ) as gateway:
            with httpx.Client(base_url=gateway.url, timeout=5) as client:
                statuses = Counter(client.get("/api/packs/healthz").status_code for _ in range(80))
        assert statuses[503] >= 30, statuses  # about half, all along: never ejected
    finally:
        for server in (shedding, healthy):
            server.shutdown()
            server.server_close()
