"""The dev clock on real NATS: one offset for every service of a deployment, dev mode only."""

import asyncio
import json
import logging
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import nats
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from shared.clock import FakeClock
from shared.logging import configure, get_logger
from shared.messaging.dev_clock import OFFSET_KEY, bucket_name
from shared.testing.helpers import eventually
from shared.testing.plugin import auth_headers
from video.config import Settings
from video.main import ALEMBIC_INI, create_app

ADMIN = auth_headers("ops", "admin")


@pytest.fixture
async def two_services(start_service):
    """Two services of one deployment (same NATS namespace), each with its own database."""
    return [await start_service(create_app, Settings, ALEMBIC_INI) for _ in range(2)]


async def move(service, body: dict[str, object]) -> httpx.Response:
    return await service.client.put("/v1/admin/clock", json=body, headers=ADMIN)


async def offset_at(service) -> float:
    return float(
        (await service.client.get("/v1/admin/clock", headers=ADMIN)).json()["offset_seconds"]
    )


def close_to(moment: str, expected: datetime) -> bool:
    return abs(datetime.fromisoformat(moment) - expected) < timedelta(seconds=5)


async def test_advancing_one_service_moves_the_clock_of_every_service(two_services) -> None:
    first, second = two_services
    answer = await move(first, {"advance": "71h"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["offset_seconds"], body["offset"]) == (71 * 3600, "+71h")
    assert close_to(body["now"], datetime.now(UTC) + timedelta(hours=71))
    assert close_to(body["real_now"], datetime.now(UTC))
    await eventually(lambda: _equals(offset_at(second), 71 * 3600))
    assert abs(second.runtime.clock.now() - datetime.now(UTC) - timedelta(hours=71)) < timedelta(
        seconds=5
    )
    reset = await move(second, {"reset": True})
    assert reset.json()["offset"] == "0"
    await eventually(lambda: _equals(offset_at(first), 0))


async def _equals(value, expected) -> bool:
    return await value == expected


async def test_moves_from_two_services_at_once_both_count(two_services) -> None:
    first, second = two_services
    answers = await asyncio.gather(
        *(move(service, {"advance": "1h"}) for service in (first, second, first, second))
    )
    assert [a.status_code for a in answers] == [200] * 4
    await eventually(lambda: _equals(offset_at(first), 4 * 3600))
    await eventually(lambda: _equals(offset_at(second), 4 * 3600))


async def test_setting_a_moment_puts_now_there_and_a_value_written_to_the_key_is_followed(
    two_services, nats_url, namespace
) -> None:
    first, second = two_services
    target = datetime.now(UTC) + timedelta(days=6, hours=3)
    answer = await move(first, {"set": target.isoformat()})
    assert close_to(answer.json()["now"], target)
    nc = await nats.connect(nats_url)
    try:
        kv = await nc.jetstream().key_value(bucket_name(namespace))
        await kv.put(OFFSET_KEY, b"-1800")
    finally:
        await nc.close()
    await eventually(lambda: _equals(offset_at(second), -1800))
    await eventually(lambda: _equals(offset_at(first), -1800))


async def test_readyz_shows_the_offset_and_keeps_its_checks(two_services) -> None:
    first, second = two_services
    await move(first, {"advance": "2d"})
    await eventually(lambda: _equals(offset_at(second), 2 * 86400))
    ready = (await second.client.get("/readyz")).json()
    assert ready["checks"] == {"database": "ok", "migrations": "ok", "nats": "ok"}
    assert ready["status"] == "ready"
    assert ready["clock"]["offset"] == "+48h" and ready["clock"]["revision"] >= 1
    assert close_to(ready["clock"]["now"], datetime.now(UTC) + timedelta(days=2))


async def test_a_move_runs_the_due_jobs_at_once_with_the_new_time(two_services) -> None:
    first, second = two_services
    seen: list[datetime] = []

    async def note_the_time() -> int:
        seen.append(second.runtime.clock.now())
        return 0

    second.runtime.add_job("note-the-time", note_the_time)
    second.runtime.settings.jobs_enabled = True  # no periodic tick here: only the move runs it
    await move(first, {"advance": "30m"})
    await eventually(lambda: _true(bool(seen)))
    assert seen[0] - datetime.now(UTC) > timedelta(minutes=29)
    first.runtime.add_job("not-enabled", note_the_time)  # jobs_enabled is False on `first`
    await move(second, {"advance": "30m"})
    await eventually(lambda: _true(len(seen) == 2))
    await asyncio.sleep(0.3)
    assert len(seen) == 2


async def _true(value: bool) -> bool:
    return value


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"advance": "71"}, "INVALID_DURATION"),
        ({"advance": "soon"}, "INVALID_DURATION"),
        ({"set": "next tuesday"}, "INVALID_MOMENT"),
        ({"set": "2026-12-10T09:00:00"}, "INVALID_MOMENT"),
        ({}, "INVALID_CLOCK_CHANGE"),
        ({"advance": "1h", "reset": True}, "INVALID_CLOCK_CHANGE"),
        ({"reset": False}, "INVALID_CLOCK_CHANGE"),
        ({"set": "9999-12-31T00:00:00Z"}, "CLOCK_OFFSET_OUT_OF_RANGE"),
        ({"tomorrow": True}, "VALIDATION_FAILED"),
    ],
)
async def test_a_bad_change_is_a_422_problem_and_moves_nothing(two_services, body, code) -> None:
    first, _ = two_services
    answer = await move(first, body)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"] == code
    assert await offset_at(first) == 0


async def test_repeated_advances_stop_at_the_range(two_services) -> None:
    first, _ = two_services
    assert (await move(first, {"advance": "3000d"})).status_code == 200
    answer = await move(first, {"advance": "1000d"})
    assert (answer.status_code, answer.json()["code"]) == (422, "CLOCK_OFFSET_OUT_OF_RANGE")


async def test_only_an_admin_reads_or_moves_the_clock(two_services) -> None:
    first, _ = two_services
    student = auth_headers("s1", "student")
    assert (await first.client.get("/v1/admin/clock", headers=student)).status_code == 403
    answer = await first.client.put("/v1/admin/clock", json={"reset": True}, headers=student)
    assert (answer.status_code, answer.json()["code"]) == (403, "FORBIDDEN")
    assert (await first.client.get("/v1/admin/clock")).status_code == 401


async def test_a_service_on_an_injected_clock_refuses_to_move_it(start_service) -> None:
    service = await start_service(
        create_app, Settings, ALEMBIC_INI, app_kwargs={"clock": FakeClock()}
    )
    answer = await move(service, {"advance": "1h"})
    assert (answer.status_code, answer.json()["code"]) == (403, "DEV_CLOCK_DISABLED")
    assert "clock" not in (await service.client.get("/readyz")).json()


async def test_outside_dev_mode_the_clock_endpoint_is_refused_and_documented() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    settings = Settings(
        dev_mode=False,
        jwt_public_key=public_pem,
        agora_app_id="0123456789abcdef0123456789abcdef",
        agora_app_certificate="a-real-looking-certificate-0001",
        agora_ncs_secret="a-real-looking-ncs-secret-0001",
    )
    app = create_app(settings)  # not started: the refusal needs no NATS, no KV read at all
    assert app.state.runtime.dev_clock is None
    token = jwt.encode({"sub": "ops", "role": "admin", "exp": 2**31}, key, algorithm="RS256")
    headers = {"Authorization": f"Bearer {token}"}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        for method in ("GET", "PUT"):
            answer = await client.request(
                method, "/v1/admin/clock", json={"advance": "1h"}, headers=headers
            )
            assert answer.status_code == 403, answer.text
            assert answer.json()["code"] == "DEV_CLOCK_DISABLED"
        paths = (await client.get("/openapi.json")).json()["paths"]["/v1/admin/clock"]
    assert "DEV_CLOCK_DISABLED" in paths["put"]["responses"]["403"]["description"]
    assert "INVALID_DURATION" in paths["put"]["responses"]["422"]["description"]
    assert "application/problem+json" in paths["get"]["responses"]["403"]["content"]


async def test_log_lines_carry_the_offset_once_it_moves(two_services, capsys) -> None:
    first, _ = two_services
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    configure(json=True)
    try:
        await move(first, {"advance": "71h"})
        get_logger("t").info("after.move")
        await move(first, {"reset": True})
        get_logger("t").info("after.reset")
    finally:
        root.handlers, root.level = handlers, level
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line[:1] == "{"]
    by_event = {line["event"]: line for line in lines}
    assert by_event["dev_clock.moved"]["offset"] in ("+71h", "0")
    assert by_event["after.move"]["clock_offset"] == "+71h"
    assert "clock_offset" not in by_event["after.reset"]
