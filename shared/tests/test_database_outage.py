"""While the database is unreachable HTTP answers 503 problems with Retry-After, and events
deferred during the outage land within a few seconds of the database coming back."""

import asyncio
import json
import time
import uuid

import nats
import pytest
from sqlalchemy import text

from packs.config import Settings as PacksSettings
from packs.main import ALEMBIC_INI as PACKS_ALEMBIC_INI
from packs.main import create_app as create_packs_app
from shared.clock import SystemClock
from shared.db import make_connection_factory, make_engine
from shared.messaging import MessageBus
from shared.messaging.events import PackDepleted
from shared.messaging.tables import kernel_metadata
from shared.settings import ServiceSettings
from shared.testing.helpers import eventually
from shared.testing.plugin import auth_headers

from .conftest import apply_effect, count_effects, test_metadata
from .tcp_proxy import TcpProxy, host_and_port

ADMIN = auth_headers("ops", "admin")
MENTOR = auth_headers("m1", "mentor")


@pytest.fixture
async def packs_behind_proxy(databases, start_service):
    name, url = await databases.create(PACKS_ALEMBIC_INI)
    proxy = await TcpProxy(*host_and_port(url)).start()
    service = await start_service(
        create_packs_app, PacksSettings, PACKS_ALEMBIC_INI, database_url=proxy.url_for(url)
    )
    yield service, proxy
    await proxy.cut()
    await databases.drop(name)


async def test_http_answers_503_with_retry_after_while_the_database_is_down(packs_behind_proxy):
    service, proxy = packs_behind_proxy
    client = service.client
    calls = [
        lambda: client.get("/v1/admin/dead-letters", headers=ADMIN),
        lambda: client.get("/v1/mentors/m1/seats", headers=MENTOR),
        lambda: client.put("/v1/mentors/m1/capacity", json={"capacity": 3}, headers=MENTOR),
    ]
    assert [(await call()).status_code for call in calls] == [200, 200, 200]

    await proxy.cut()
    answers = await asyncio.gather(*(call() for call in calls * 10))
    assert {answer.status_code for answer in answers} == {503}
    for answer in answers:
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.headers["retry-after"] == "2"
        assert answer.json()["code"] == "DATABASE_UNAVAILABLE"
    ready = await client.get("/readyz")
    assert ready.status_code == 503 and ready.json()["checks"]["database"] != "ok"

    await proxy.restore()
    back = await eventually(lambda: _status_is(client, ADMIN, 200), within=5)
    assert back
    assert (await calls[2]()).status_code == 200


async def _status_is(client, headers, status: int) -> bool:
    return (await client.get("/v1/admin/dead-letters", headers=headers)).status_code == status


async def test_events_deferred_during_an_outage_land_within_seconds_of_its_end(
    databases, nats_url, namespace, event_probe
):
    name, url = await databases.create()
    setup = make_engine(url)
    async with setup.begin() as connection:
        await connection.run_sync(kernel_metadata.create_all)
        await connection.run_sync(test_metadata.create_all)
    await setup.dispose()
    proxy = await TcpProxy(*host_and_port(url)).start()
    engine = make_engine(proxy.url_for(url), pool_size=2)
    settings = ServiceSettings(
        service_name="kernel",
        dev_mode=True,
        database_url=proxy.url_for(url),
        nats_url=nats_url,
        nats_namespace=namespace,
    )  # the production deferrals: 0.5, 1, 2, 3 s
    bus = MessageBus(
        settings=settings, connection_factory=make_connection_factory(engine), clock=SystemClock()
    )
    bus.consumers.on(PackDepleted, purpose="effects")(apply_effect)
    await bus.start()
    connection = await nats.connect(nats_url)
    try:
        await proxy.cut()
        event_ids = []
        for _ in range(5):
            event = PackDepleted(pack_id=uuid.uuid4(), student_id="s1", mentor_id="m1")
            envelope = json.loads(_wrap(event))
            event_ids.append(envelope["id"])
            await connection.jetstream().publish(
                f"{namespace}.pack.depleted", json.dumps(envelope).encode()
            )
        await asyncio.sleep(5)  # long enough for the deferrals to reach their last step
        await proxy.restore()
        restored = time.monotonic()
        await eventually(lambda: _applied(bus, len(event_ids)), within=10)
        recovered_in = time.monotonic() - restored
        assert recovered_in < 4.5, f"deferred events landed {recovered_in:.1f} s after"
        assert sorted(await count_effects(bus)) == sorted(event_ids)
        assert set((await count_effects(bus)).values()) == {1}
        async with bus.connection_factory() as session:
            assert (await session.scalar(text("SELECT count(*) FROM dead_letters"))) == 0
    finally:
        await connection.close()
        await bus.stop()
        await engine.dispose()
        await proxy.cut()
        await databases.drop(name)


def _wrap(event: PackDepleted) -> str:
    from shared.messaging.events import Envelope

    return Envelope.wrap(event, producer="packs").model_dump_json()


async def _applied(bus: MessageBus, count: int) -> bool:
    return len(await count_effects(bus)) >= count
