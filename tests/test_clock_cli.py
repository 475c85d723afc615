"""`mentorship clock`: moves the running suite's dev clock and waits until every service follows."""

import asyncio
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from mentorship.cli import app
from mentorship.stack import StackInfo, write_stack
from shared.testing.fake_http import JsonHandler
from video.config import Settings
from video.main import ALEMBIC_INI, create_app

runner = CliRunner()


def clock(*args: str):
    return runner.invoke(app, ["clock", *args])


@pytest.fixture
def stack_of(tmp_path, monkeypatch):
    """Writes `.dev/stack.json` naming these services, as `mentorship dev` does."""
    monkeypatch.setenv("MENTORSHIP_ROOT", str(tmp_path))

    def write(services: dict[str, str]) -> None:
        write_stack(tmp_path, StackInfo(nats_url="nats://127.0.0.1:9", services=services))

    return write


async def test_advance_moves_every_service_and_prints_the_new_time(
    serve_over_http, stack_of
) -> None:
    async with (
        serve_over_http(create_app, Settings, ALEMBIC_INI) as first,
        serve_over_http(create_app, Settings, ALEMBIC_INI) as second,
    ):
        stack_of({"video": first, "search": second})
        moved = await asyncio.to_thread(clock, "advance", "71h")
        assert moved.exit_code == 0, moved.output
        assert "offset +71h" in moved.output and "2 services follow" in moved.output
        shown = await asyncio.to_thread(clock, "show")
        assert shown.exit_code == 0, shown.output
        assert shown.output.count("+71h") == 2, shown.output
        back = await asyncio.to_thread(clock, "advance", "--", "-1h")
        assert back.exit_code == 0 and "offset +70h" in back.output, back.output
        reset = await asyncio.to_thread(clock, "reset")
        assert reset.exit_code == 0 and "offset 0" in reset.output, reset.output
        wrong = await asyncio.to_thread(clock, "advance", "soon")
        assert wrong.exit_code == 1 and "INVALID_DURATION" in wrong.output, wrong.output
        at = await asyncio.to_thread(clock, "set", "2027-06-10T09:00:00Z")
        assert at.exit_code == 0 and "now 2027-06-10T09:00" in at.output, at.output


class NotDevService(JsonHandler):
    """Answers the clock endpoint as a service outside dev mode does."""

    def do_GET(self) -> None:
        self.answer(403, {"code": "DEV_CLOCK_DISABLED", "detail": "dev mode off"})

    do_PUT = do_GET


@pytest.fixture
def not_dev_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), NotDevService)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_stack_outside_dev_mode_refuses_with_a_clear_message(stack_of, not_dev_url) -> None:
    stack_of({"packs": not_dev_url})
    for args in (("advance", "71h"), ("show",), ("reset",)):
        result = clock(*args)
        assert result.exit_code == 1
        assert "not in dev mode" in result.output, result.output


def test_without_a_running_stack_it_says_to_start_one(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("MENTORSHIP_ROOT", str(tmp_path))
    result = clock("advance", "1h")
    assert result.exit_code == 1 and "make dev" in result.output


def test_a_service_that_does_not_answer_is_named(stack_of) -> None:
    stack_of({"booking": "http://127.0.0.1:9"})
    result = clock("show")
    assert result.exit_code == 1
    assert "booking" in result.output and "did not answer" in result.output
