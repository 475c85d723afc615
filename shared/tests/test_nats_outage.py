"""NATS stopped for 10 s while events are produced: all arrive afterwards, none twice in effect."""

import asyncio
import uuid

import pytest

from shared.embedded import EmbeddedNats
from shared.embedded.ports import free_port
from shared.messaging.events import PackDepleted
from shared.testing.helpers import eventually

from .conftest import apply_effect, count_effects


@pytest.fixture
def own_nats(tmp_path):
    server = EmbeddedNats(tmp_path / "nats", port=free_port()).start()
    yield server
    server.stop()


async def test_events_produced_while_nats_is_down_are_all_delivered_once(make_bus, own_nats):
    bus = make_bus(
        url_override=own_nats.url,
        register=lambda b: b.consumers.on(PackDepleted, purpose="effects")(apply_effect),
    )
    await bus.start()
    produced: list[str] = []

    async def produce(count: int) -> None:
        for _ in range(count):
            async with bus.uow() as uow:
                event = PackDepleted(pack_id=uuid.uuid4(), student_id="s", mentor_id="m")
                produced.append(str(uow.record(event).id))
                await uow.commit()
            await asyncio.sleep(0.1)

    await produce(5)
    await asyncio.to_thread(own_nats.stop)
    await produce(20)  # the relay cannot publish: rows wait in the outbox
    await asyncio.sleep(max(0.0, 10.0 - 20 * 0.1))
    await asyncio.to_thread(own_nats.start)
    await produce(5)

    expected = {event_id: 1 for event_id in produced}

    async def all_applied() -> bool:
        return await count_effects(bus) == expected

    await eventually(all_applied, within=30)
    await asyncio.sleep(1.0)
    assert await count_effects(bus) == expected
