"""One access line per HTTP request in dev mode; outside it none, or the share a setting names
(decision 0024)."""

import json
import logging
import uuid

import httpx
import pytest
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from packs.config import Settings
from packs.main import create_app
from shared.http.metrics import HttpMetrics
from shared.logging import LogFormat, configure
from shared.settings import ServiceSettings


@pytest.fixture(autouse=True)
def restore_logging():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers, root.level = handlers, level
    configure(json=True)  # the access lines off again, as outside dev mode


def access_lines(err: str) -> list[dict]:
    lines = (json.loads(line) for line in err.splitlines() if line.startswith("{"))
    return [line for line in lines if line["event"] == "http.request"]


async def get_many(app, path: str, count: int, headers: dict[str, str] | None = None) -> None:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        for _ in range(count):
            await client.get(path, headers=headers)


def bare_app() -> HttpMetrics:
    async def hello(request):
        return PlainTextResponse("hello")

    return HttpMetrics(Starlette(routes=[Route("/hello", hello)]), service="t")


async def test_in_dev_mode_each_request_has_one_line_with_route_status_and_request_id(capsys):
    app = create_app(Settings(dev_mode=True, log_format=LogFormat.json))
    capsys.readouterr()
    pack = uuid.uuid4()
    await get_many(app, f"/v1/packs/{pack}?code=secret-code", 1, {"X-Request-ID": "req-7"})
    await get_many(app, "/healthz", 2)
    first, *health = access_lines(capsys.readouterr().err)
    assert (first["method"], first["path"], first["route"], first["status"]) == (
        "GET",
        f"/v1/packs/{pack}",
        "/v1/packs/{pack_id}",
        401,
    )
    assert first["request_id"] == "req-7" and first["service"] == "packs"
    assert isinstance(first["duration_ms"], float)
    assert "secret-code" not in json.dumps(first)  # no query string
    assert [line["route"] for line in health] == ["/healthz", "/healthz"]


async def test_the_setting_turns_them_off_in_dev_mode_too(capsys):
    app = create_app(Settings(dev_mode=True, log_format=LogFormat.json, access_log_sample_rate=0))
    await get_many(app, "/healthz", 5)
    assert access_lines(capsys.readouterr().err) == []


async def test_outside_dev_mode_no_request_has_a_line_by_default(capsys):
    configure(json=True, dev_mode=False)
    await get_many(bare_app(), "/hello", 20)
    assert access_lines(capsys.readouterr().err) == []


async def test_a_sample_rate_logs_about_that_share_of_requests(capsys):
    configure(json=True, dev_mode=False, access_log_sample_rate=0.25)
    await get_many(bare_app(), "/hello", 800)
    logged = len(access_lines(capsys.readouterr().err))
    assert 100 <= logged <= 300, logged  # 200 expected; this band is over 7 sigma wide


async def test_a_level_above_info_silences_them(capsys):
    configure(json=True, dev_mode=True, level="WARNING")
    await get_many(bare_app(), "/hello", 5)
    assert access_lines(capsys.readouterr().err) == []


@pytest.mark.parametrize("rate", [-0.1, 1.5])
def test_a_rate_outside_zero_to_one_is_refused(rate: float) -> None:
    with pytest.raises(ValidationError):
        ServiceSettings(dev_mode=True, access_log_sample_rate=rate)
