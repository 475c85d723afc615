"""A consumer applies what it pulled in one unit of work: duplicates once, a poison message
alone, a redelivery after commit once, and one aggregate's events in delivery order.

Each test publishes its events before the consumer starts, so that the consumer finds a
backlog and pulls it in batches; each asserts that a batch really held several events."""

import asyncio
import json
import random
import uuid
from collections import Counter

import nats
from nats.aio.msg import Msg

from shared.messaging import dead_letters
from shared.messaging.events import Envelope, PackDepleted
from shared.testing.events import ensure_stream
from shared.testing.helpers import eventually

from .conftest import apply_effect, count_effects


def depleted(student: str = "s1", pack_id: uuid.UUID | None = None) -> Envelope:
    event = PackDepleted(pack_id=pack_id or uuid.uuid4(), student_id=student, mentor_id="m1")
    return Envelope.wrap(event, producer="test")


async def publish_backlog(
    nats_url: str, namespace: str, deliveries: list[tuple[Envelope, str]]
) -> None:
    """Each (envelope, Nats-Msg-Id) once, in order; distinct ids defeat the stream's dedupe."""
    await ensure_stream(nats_url, namespace)
    connection = await nats.connect(nats_url)
    try:
        jetstream = connection.jetstream()
        for envelope, msg_id in deliveries:
            await jetstream.publish(
                f"{namespace}.{envelope.type}",
                json.dumps(envelope.model_dump(mode="json")).encode(),
                headers={"Nats-Msg-Id": msg_id},
            )
    finally:
        await connection.close()


class Batches:
    """Which events each unit of work applied: a batch is a unit of work with several."""

    def __init__(self) -> None:
        self.events_by_uow: dict[int, list[uuid.UUID]] = {}

    def saw(self, uow, envelope: Envelope) -> None:
        self.events_by_uow.setdefault(id(uow), []).append(envelope.id)

    @property
    def largest(self) -> int:
        return max((len(events) for events in self.events_by_uow.values()), default=0)


async def test_duplicate_deliveries_in_a_batch_are_applied_once_each(make_bus, nats_url, namespace):
    batches = Batches()

    async def handler(event, uow, envelope) -> None:
        batches.saw(uow, envelope)
        await apply_effect(event, uow, envelope)

    events = [depleted(f"s{n}") for n in range(8)]
    copies = [(e, f"{e.id}-{copy}") for copy in range(3) for e in events]  # 24 deliveries
    await publish_backlog(nats_url, namespace, copies)
    bus = make_bus(register=lambda b: b.consumers.on(PackDepleted, purpose="dupes")(handler))
    await bus.start()

    expected = {str(e.id): 1 for e in events}
    await eventually(lambda: _effects_equal(bus, expected))
    await asyncio.sleep(0.5)  # every copy has been pulled by now
    assert await count_effects(bus) == expected
    assert batches.largest > 1, batches.events_by_uow


async def test_a_poison_message_in_a_batch_dead_letters_alone_and_the_others_apply_once(
    make_bus, nats_url, namespace
):
    batches = Batches()
    poison_deliveries: list[int] = []

    async def handler(event, uow, envelope) -> None:
        batches.saw(uow, envelope)
        await apply_effect(event, uow, envelope)  # written, then rolled back with the batch
        if event.student_id == "poison":
            poison_deliveries.append(1)
            raise RuntimeError("this event breaks the handler")

    good = [depleted(f"good{n}") for n in range(10)]
    poison = depleted("poison")
    backlog = [*good[:5], poison, *good[5:]]
    await publish_backlog(nats_url, namespace, [(e, str(e.id)) for e in backlog])
    bus = make_bus(register=lambda b: b.consumers.on(PackDepleted, purpose="poison")(handler))
    await bus.start()

    letter = await _wait_for_dead_letter(bus)
    assert letter.event_id == poison.id
    assert letter.attempts == 3  # the usual retries (consumer_max_attempts=3), then the letter
    assert "breaks the handler" in letter.error
    assert await count_effects(bus) == {str(e.id): 1 for e in good}
    assert batches.largest > 1, batches.events_by_uow
    async with bus.connection_factory() as session:
        assert [letter.event_id for letter in await dead_letters.list_all(session)] == [poison.id]


async def test_a_batch_redelivered_after_its_commit_is_applied_once(
    make_bus, nats_url, namespace, monkeypatch
):
    """The consumer dies between commit and ack: every message comes back (here at once, by
    a nak in place of the first ack) and the inbox turns each into a duplicate."""
    batches = Batches()
    deliveries: Counter[uuid.UUID] = Counter()
    ack = Msg.ack

    async def ack_lost_at_first_delivery(message: Msg) -> None:
        if message.metadata.num_delivered == 1:
            await message.nak()
        else:
            await ack(message)

    monkeypatch.setattr(Msg, "ack", ack_lost_at_first_delivery)

    async def handler(event, uow, envelope) -> None:
        batches.saw(uow, envelope)
        deliveries[envelope.id] += 1
        await apply_effect(event, uow, envelope)

    events = [depleted(f"s{n}") for n in range(12)]
    await publish_backlog(nats_url, namespace, [(e, str(e.id)) for e in events])
    bus = make_bus(register=lambda b: b.consumers.on(PackDepleted, purpose="crash")(handler))
    await bus.start()

    consumer = bus.broker.connection.jetstream()
    stream = f"{namespace.upper()}_EVENTS"

    async def all_acked() -> bool:
        info = await consumer.consumer_info(stream, "kernel-crash")
        return info.num_pending == 0 and info.num_ack_pending == 0

    await eventually(all_acked)
    expected = {str(e.id): 1 for e in events}
    assert await count_effects(bus) == expected
    assert set(deliveries) == {e.id for e in events}
    assert set(deliveries.values()) == {1}  # the redelivery found the inbox claim
    assert batches.largest > 1, batches.events_by_uow


async def test_one_aggregates_events_in_a_batch_are_applied_in_delivery_order(
    make_bus, nats_url, namespace
):
    batches = Batches()
    applied: dict[uuid.UUID, list[int]] = {}

    async def handler(event, uow, envelope) -> None:
        batches.saw(uow, envelope)
        await asyncio.sleep(random.uniform(0, 0.01))  # concurrent handlers would reorder
        applied.setdefault(event.pack_id, []).append(int(event.student_id))
        await apply_effect(event, uow, envelope)

    packs = [uuid.uuid4(), uuid.uuid4()]
    backlog = [depleted(str(n), pack_id=packs[n % 2]) for n in range(30)]
    await publish_backlog(nats_url, namespace, [(e, str(e.id)) for e in backlog])
    bus = make_bus(register=lambda b: b.consumers.on(PackDepleted, purpose="order")(handler))
    await bus.start()

    await eventually(lambda: _effects_equal(bus, {str(e.id): 1 for e in backlog}))
    assert applied == {
        packs[0]: list(range(0, 30, 2)),
        packs[1]: list(range(1, 30, 2)),
    }
    assert batches.largest > 1, batches.events_by_uow


async def _effects_equal(bus, expected: dict[str, int]) -> bool:
    return await count_effects(bus) == expected


async def _wait_for_dead_letter(bus) -> dead_letters.DeadLetter:
    async def letters() -> list[dead_letters.DeadLetter]:
        async with bus.connection_factory() as session:
            return await dead_letters.list_all(session)

    return (await eventually(letters, within=15))[0]
