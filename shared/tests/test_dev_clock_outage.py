"""The dev clock after NATS was stopped and started again: every service still follows a move."""

import asyncio

import pytest

from shared.embedded import EmbeddedNats
from shared.embedded.ports import free_port
from shared.testing.helpers import eventually
from shared.testing.plugin import auth_headers
from video.config import Settings
from video.main import ALEMBIC_INI, create_app

ADMIN = auth_headers("ops", "admin")


@pytest.fixture
def own_nats(tmp_path):
    server = EmbeddedNats(tmp_path / "nats", port=free_port()).start()
    yield server
    server.stop()


@pytest.fixture
def nats_url(own_nats) -> str:
    """This module's services talk to a NATS the test can stop."""
    return own_nats.url


async def test_a_move_after_a_nats_restart_reaches_every_service(start_service, own_nats):
    first, second = [await start_service(create_app, Settings, ALEMBIC_INI) for _ in range(2)]
    assert (
        await first.client.put("/v1/admin/clock", json={"advance": "1h"}, headers=ADMIN)
    ).status_code == 200
    await asyncio.to_thread(own_nats.stop)
    await asyncio.sleep(3)
    await asyncio.to_thread(own_nats.start)

    async def moved() -> bool:
        answer = await first.client.put("/v1/admin/clock", json={"advance": "2h"}, headers=ADMIN)
        return answer.status_code == 200

    await eventually(moved, within=20)

    async def followed() -> bool:
        answer = await second.client.get("/v1/admin/clock", headers=ADMIN)
        return answer.json()["offset"] == "+3h"

    await eventually(followed, within=20)
