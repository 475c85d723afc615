"""The operator CLI: dev tokens, readiness and dead letters over the services' HTTP API."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from typer.testing import CliRunner

from mentorship.cli import app
from mentorship.services import SERVICES, get_service
from shared.auth_dev import DEV_JWT_SECRET

runner = CliRunner()
LETTER = {
    "id": "dl-1",
    "consumer": "packs.payment_succeeded",
    "subject": "payment.succeeded",
    "event_id": "ev-1",
    "error": "boom",
    "attempts": 5,
    "failed_at": "2026-01-01T00:00:00Z",
    "replayed_at": None,
}


class FakeService(BaseHTTPRequestHandler):
    """Answers like a service: /readyz, and the dead-letter admin API for admins only."""

    ready = True
    replayed: list[str] = []

    def do_GET(self) -> None:
        if self.path == "/readyz":
            self._send(200 if self.ready else 503, {"ready": self.ready})
        elif self.path == "/v1/admin/dead-letters" and self._is_admin():
            self._send(200, [LETTER])
        else:
            self._send(403, {"code": "FORBIDDEN"})

    def do_POST(self) -> None:
        if self.path == "/v1/admin/dead-letters/dl-1/replay" and self._is_admin():
            self.replayed.append("dl-1")
            self._send(202, {"id": "dl-1", "replayed": True})
        else:
            self._send(404, {"code": "NOT_FOUND"})

    def _is_admin(self) -> bool:
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        try:
            return jwt.decode(token, DEV_JWT_SECRET, algorithms=["HS256"])["role"] == "admin"
        except jwt.PyJWTError:
            return False

    def _send(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def service_url() -> Iterator[str]:
    FakeService.ready, FakeService.replayed = True, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeService)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_registry_holds_six_services_on_distinct_dev_ports() -> None:
    assert [s.name for s in SERVICES] == [
        "payments", "packs", "booking", "notifications", "video", "search",
    ]  # fmt: skip
    assert len({s.dev_port for s in SERVICES}) == 6
    packs = get_service("packs")
    assert (packs.app, packs.dev_port, packs.env_var("database_url")) == (
        "packs.main:create_app", 8102, "PACKS_DATABASE_URL",
    )  # fmt: skip


def test_token_prints_a_dev_jwt_for_the_user_and_role() -> None:
    result = runner.invoke(app, ["token", "--user", "u1", "--role", "mentor"])
    assert result.exit_code == 0, result.output
    claims = jwt.decode(result.output.strip(), DEV_JWT_SECRET, algorithms=["HS256"])
    assert (claims["sub"], claims["role"]) == ("u1", "mentor")


def test_token_uses_the_secret_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MENTORSHIP_DEV_JWT_SECRET", "x" * 40)
    result = runner.invoke(app, ["token", "--user", "u1", "--role", "admin"])
    assert jwt.decode(result.output.strip(), "x" * 40, algorithms=["HS256"])["role"] == "admin"


def test_token_refuses_an_unknown_role() -> None:
    assert runner.invoke(app, ["token", "--user", "u1", "--role", "root"]).exit_code != 0


def test_health_exits_0_when_every_service_is_ready(service_url: str) -> None:
    result = runner.invoke(app, ["health", "--base-url", f"packs={service_url}"])
    assert result.exit_code == 0, result.output
    assert "ready" in result.output


def test_health_exits_1_when_a_service_is_not_ready(service_url: str) -> None:
    FakeService.ready = False
    result = runner.invoke(app, ["health", "--base-url", f"packs={service_url}"])
    assert result.exit_code == 1
    assert "503" in result.output


def test_dlq_list_shows_dead_letters_fetched_with_an_admin_token(service_url: str) -> None:
    result = runner.invoke(app, ["dlq", "list", "--base-url", f"packs={service_url}"])
    assert result.exit_code == 0, result.output
    assert "dead letters" in result.output

    result = runner.invoke(app, ["dlq", "list", "--json", "--base-url", f"packs={service_url}"])
    assert json.loads(result.output) == [{"service": "packs", **LETTER}]


def test_dlq_list_exits_1_when_a_service_cannot_answer() -> None:
    result = runner.invoke(app, ["dlq", "list", "--base-url", "packs=http://127.0.0.1:9"])
    assert result.exit_code == 1


def test_dlq_replay_posts_to_the_service(service_url: str) -> None:
    result = runner.invoke(app, ["dlq", "replay", "packs", "dl-1", "--base-url", service_url])
    assert result.exit_code == 0, result.output
    assert FakeService.replayed == ["dl-1"]


def test_dlq_replay_of_an_unknown_letter_exits_1(service_url: str) -> None:
    result = runner.invoke(app, ["dlq", "replay", "packs", "nope", "--base-url", service_url])
    assert result.exit_code == 1


def test_migrate_needs_the_database_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VIDEO_DATABASE_URL", raising=False)
    result = runner.invoke(app, ["migrate", "video"])
    assert result.exit_code == 2
    assert "VIDEO_DATABASE_URL" in result.output
