"""Nothing lost, nothing twice: the outbox publishes iff committed; the inbox applies once."""

import asyncio
import uuid
from datetime import timedelta

from shared.messaging.events import Envelope, PackDepleted
from shared.testing.events import publish_raw
from shared.testing.helpers import eventually

from .conftest import apply_effect, count_effects


def depleted(student: str = "s1") -> PackDepleted:
    return PackDepleted(pack_id=uuid.uuid4(), student_id=student, mentor_id="m1")


def consuming(bus) -> None:
    bus.consumers.on(PackDepleted, purpose="effects")(apply_effect)


async def test_an_event_of_a_committed_transaction_is_delivered(make_bus, event_probe):
    bus = make_bus(register=consuming)
    await bus.start()
    async with bus.uow() as uow:
        envelope = uow.record(depleted())
        await uow.commit()
    delivered = await event_probe.wait_for(PackDepleted)
    assert delivered[0].id == envelope.id
    await eventually(lambda: _effects_equal(bus, {str(envelope.id): 1}))


async def test_an_event_of_a_rolled_back_transaction_is_never_delivered(make_bus, event_probe):
    bus = make_bus(register=consuming)
    await bus.start()
    async with bus.uow() as uow:
        uow.record(depleted("rolled-back"))
        await uow.rollback()
    async with bus.uow() as uow:  # leaving the block without commit rolls back too
        uow.record(depleted("abandoned"))
    async with bus.uow() as uow:
        marker = uow.record(depleted("committed"))
        await uow.commit()
    await event_probe.wait_for(PackDepleted, lambda e: e.student_id == "committed")
    await bus.relay.sweep(grace=timedelta(0))
    await asyncio.sleep(0.5)
    assert [e.payload().student_id for e in event_probe.of_type(PackDepleted)] == ["committed"]
    await eventually(lambda: _effects_equal(bus, {str(marker.id): 1}))


async def test_the_same_event_delivered_ten_times_has_one_effect(
    make_bus, event_probe, nats_url, namespace
):
    bus = make_bus(register=consuming)
    await bus.start()
    envelope = Envelope.wrap(depleted(), producer="test")
    # Distinct Nats-Msg-Ids defeat the stream's dedupe: ten real deliveries, concurrently.
    await asyncio.gather(
        *(
            publish_raw(nats_url, namespace, envelope, msg_id=f"{envelope.id}-{n}")
            for n in range(10)
        )
    )
    await event_probe.wait_for(PackDepleted, count=10)
    await eventually(lambda: _effects_equal(bus, {str(envelope.id): 1}))
    await asyncio.sleep(0.5)
    assert await count_effects(bus) == {str(envelope.id): 1}


async def test_two_replicas_share_a_durable_consumer_and_apply_each_event_once(
    make_bus, event_probe
):
    replicas = [make_bus(register=consuming) for _ in range(2)]
    for replica in replicas:
        await replica.start()
    ids = []
    for n in range(20):
        async with replicas[n % 2].uow() as uow:
            ids.append(str(uow.record(depleted(f"s{n}")).id))
            await uow.commit()
    await eventually(lambda: _effects_equal(replicas[0], {i: 1 for i in ids}))


async def _effects_equal(bus, expected: dict[str, int]) -> bool:
    return await count_effects(bus) == expected


async def test_old_published_outbox_rows_and_old_inbox_claims_are_pruned_by_a_due_job(
    start_service,
):
    from sqlalchemy import func, insert, select, text

    from shared.messaging.tables import inbox, outbox
    from video.config import Settings
    from video.main import ALEMBIC_INI, create_app

    video = await start_service(create_app, Settings, ALEMBIC_INI)
    old, fresh = uuid.uuid4(), uuid.uuid4()
    async with video.runtime.connection_factory() as db:
        for event_id, age in ((old, "4 days"), (fresh, "1 hour")):
            await db.execute(
                insert(outbox).values(
                    id=event_id,
                    subject="pack.depleted",
                    envelope={},
                    published_at=func.now() - text(f"interval '{age}'"),
                )
            )
        await db.execute(
            insert(outbox).values(  # never published: kept whatever its age
                id=uuid.uuid4(),
                subject="pack.depleted",
                envelope={},
                created_at=func.now() - text("interval '30 days'"),
            )
        )
        for event_id, age in ((old, "15 days"), (fresh, "1 day")):
            await db.execute(
                insert(inbox).values(
                    consumer="c",
                    event_id=event_id,
                    processed_at=func.now() - text(f"interval '{age}'"),
                )
            )
        await db.commit()

    assert await video.runtime.jobs.run_now("prune-messaging-tables") == 2
    async with video.runtime.connection_factory() as db:
        assert old not in set((await db.execute(select(outbox.c.id))).scalars())
        assert len((await db.execute(select(outbox.c.id))).all()) == 2
        assert set((await db.execute(select(inbox.c.event_id))).scalars()) == {fresh}
