"""The operator CLI: dev tokens, readiness, dead letters, and publishing a hand-made event."""

import asyncio
import json
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import ThreadingHTTPServer

import jwt
import pytest
from typer.testing import CliRunner

from mentorship.cli import app
from mentorship.services import SERVICES, get_service
from shared.auth_dev import DEV_JWT_SECRET
from shared.testing.fake_http import JsonHandler
from shared.testing.plugin import auth_headers

runner = CliRunner()
LOOP = "nats://127.0.0.1:9"  # loopback, nothing listening
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


class FakeService(JsonHandler):
    """Answers like a service: /readyz, and the dead-letter admin API for admins only."""

    ready = True
    replayed: list[str] = []

    def do_GET(self) -> None:
        if self.path == "/readyz":
            self.answer(200 if self.ready else 503, {"ready": self.ready})
        elif self.path == "/v1/admin/dead-letters" and self._is_admin():
            self.answer(200, [LETTER])
        else:
            self.answer(403, {"code": "FORBIDDEN"})

    def do_POST(self) -> None:
        if self.path == "/v1/admin/dead-letters/dl-1/replay" and self._is_admin():
            self.replayed.append("dl-1")
            self.answer(202, {"id": "dl-1", "replayed": True})
        else:
            self.answer(404, {"code": "NOT_FOUND"})

    def _is_admin(self) -> bool:
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        try:
            return jwt.decode(token, DEV_JWT_SECRET, algorithms=["HS256"])["role"] == "admin"
        except jwt.PyJWTError:
            return False


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


# ---- publish ----------------------------------------------------------------------------


def payment_json(student: str, mentor: str) -> str:
    return json.dumps(
        {
            "order_id": str(uuid.uuid4()),
            "student_id": student,
            "mentor_id": mentor,
            "product_id": str(uuid.uuid4()),
            "amount": 12_000,
            "currency": "EUR",
            "provider": "stripe",
            "paid_at": datetime.now(UTC).isoformat(),
            "pack": {"sessions_count": 4, "session_minutes": 60, "validity_days": 30},
        }
    )


def test_publish_refuses_an_unknown_subject_and_lists_the_catalog() -> None:
    result = runner.invoke(app, ["publish", "payment.teleported", "{}", "--nats-url", LOOP])
    assert result.exit_code == 1
    assert "unknown subject" in result.output and "payment.succeeded" in result.output


def test_publish_says_which_fields_are_wrong_without_echoing_the_payload() -> None:
    payload = json.loads(payment_json("s1", "m1")) | {"amount": "sk_live_do_not_echo"}
    result = runner.invoke(
        app, ["publish", "payment.succeeded", json.dumps(payload), "--nats-url", LOOP]
    )
    assert result.exit_code == 1
    assert "amount" in result.output and "sk_live_do_not_echo" not in result.output


def test_publish_is_for_the_dev_stack_only() -> None:
    result = runner.invoke(
        app,
        ["publish", "payment.succeeded", payment_json("s", "m"), "--nats-url", "nats://prod:4222"],
    )
    assert result.exit_code == 1 and "dev stack only" in result.output


def test_publish_without_a_running_stack_says_to_start_it(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("MENTORSHIP_ROOT", str(tmp_path))
    monkeypatch.delenv("NATS_URL", raising=False)
    result = runner.invoke(app, ["publish", "payment.succeeded", payment_json("s", "m")])
    assert result.exit_code == 1 and "make dev" in result.output


@pytest.fixture
async def packs_service(start_service):
    from packs.config import Settings
    from packs.main import ALEMBIC_INI, create_app

    return await start_service(create_app, Settings, ALEMBIC_INI)


def log_events(caplog: pytest.LogCaptureFixture, event: str) -> list[dict]:
    """The structured lines called `event` (structlog hands the event dict to logging)."""
    return [r.msg for r in caplog.records if isinstance(r.msg, dict) and r.msg["event"] == event]


async def test_a_published_payment_becomes_a_pack_and_its_log_lines_follow_it(
    packs_service, nats_url: str, namespace: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO")
    args = ["publish", "payment.succeeded", payment_json("s-cli", "m-cli")]
    args += ["--nats-url", nats_url, "--namespace", namespace, "--correlation-id", "try-it-1"]
    result = await asyncio.to_thread(runner.invoke, app, args)
    assert result.exit_code == 0, result.output
    assert "correlation_id=try-it-1" in result.output
    headers = auth_headers("s-cli", "student")
    for _ in range(100):
        response = await packs_service.client.get("/v1/me/packs", headers=headers)
        published = [
            e for e in log_events(caplog, "event.published") if e["correlation_id"] == "try-it-1"
        ]
        if response.json() and any(e["event_type"] == "pack.purchased" for e in published):
            break
        await asyncio.sleep(0.1)
    (pack,) = response.json()
    assert pack["mentor_id"] == "m-cli"
    (applied,) = [
        e for e in log_events(caplog, "event.applied") if e["correlation_id"] == "try-it-1"
    ]
    assert applied["event_type"] == "payment.succeeded" and applied["consumer"].startswith("packs-")
    assert applied["duration_ms"] > 0 and applied["event_id"]
    assert any(e["event_type"] == "pack.purchased" for e in published)
