"""A failing handler is retried with backoff, dead-lettered at the end, and replayable once."""

import time
import uuid

from shared.messaging import dead_letters
from shared.messaging.events import PackDepleted
from shared.testing.helpers import eventually

from .conftest import apply_effect, count_effects


async def test_a_failing_handler_is_retried_with_backoff_then_dead_lettered_and_replayed_once(
    make_bus, event_probe
):
    attempts: list[float] = []
    broken = True

    async def flaky(event, uow, envelope):
        attempts.append(time.monotonic())
        if broken:
            raise RuntimeError("downstream is broken")
        await apply_effect(event, uow, envelope)

    bus = make_bus(register=lambda b: b.consumers.on(PackDepleted, purpose="flaky")(flaky))
    await bus.start()
    async with bus.uow() as uow:
        envelope = uow.record(PackDepleted(pack_id=uuid.uuid4(), student_id="s", mentor_id="m"))
        await uow.commit()

    letter = await _wait_for_dead_letter(bus)
    assert letter.event_id == envelope.id
    assert letter.attempts == 3 and "downstream is broken" in letter.error
    assert len(attempts) == 3
    gaps = [later - earlier for earlier, later in zip(attempts, attempts[1:], strict=False)]
    assert gaps[0] >= 0.15 and gaps[1] >= 0.35, f"no backoff between attempts: {gaps}"
    assert await count_effects(bus) == {}

    broken = False
    assert await bus.consumers.replay(letter.id) is True
    assert await bus.consumers.replay(letter.id) is False  # already applied: no second effect
    assert await count_effects(bus) == {str(envelope.id): 1}
    async with bus.connection_factory() as session:
        assert await dead_letters.list_all(session) == []
        assert (await dead_letters.get(session, letter.id)).replayed_at is not None


async def test_a_message_that_is_not_an_envelope_is_dead_lettered_at_once(
    make_bus, nats_url, namespace, event_probe
):
    import nats

    bus = make_bus(register=lambda b: b.consumers.on(PackDepleted, purpose="effects")(apply_effect))
    await bus.start()
    nc = await nats.connect(nats_url)
    await nc.jetstream().publish(f"{namespace}.pack.depleted", b"{not json")
    await nc.close()
    letter = await _wait_for_dead_letter(bus)
    assert letter.attempts == 1 and letter.body == b"{not json"


async def _wait_for_dead_letter(bus):
    async def letters():
        async with bus.connection_factory() as session:
            return await dead_letters.list_all(session)

    return (await eventually(letters))[0]


async def test_a_database_outage_is_never_dead_lettered_and_the_event_applies_once_it_ends(
    make_bus, event_probe
):
    from sqlalchemy.exc import OperationalError

    attempts: list[float] = []

    async def database_down(event, uow, envelope):
        attempts.append(time.monotonic())
        if len(attempts) <= 6:  # twice the dead-letter limit of 3
            raise OperationalError("INSERT ...", {}, ConnectionRefusedError("database is down"))
        await apply_effect(event, uow, envelope)

    bus = make_bus(
        register=lambda b: b.consumers.on(PackDepleted, purpose="outage")(database_down),
        consumer_backoff_seconds=(0.1, 0.1, 0.2),
    )
    await bus.start()
    async with bus.uow() as uow:
        envelope = uow.record(PackDepleted(pack_id=uuid.uuid4(), student_id="s", mentor_id="m"))
        await uow.commit()
    await eventually(lambda: _effects_are(bus, {str(envelope.id): 1}), within=15)
    assert len(attempts) == 7
    async with bus.connection_factory() as session:
        assert await dead_letters.list_all(session) == []


def test_only_infrastructure_failures_are_exempt_from_dead_lettering():
    import asyncpg
    from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

    from shared.messaging.consumers import is_infrastructure_failure

    class Adapted(Exception):  # what SQLAlchemy's asyncpg dialect puts in `orig`
        def __init__(self, sqlstate: str) -> None:
            self.sqlstate = sqlstate

    assert is_infrastructure_failure(ConnectionRefusedError())
    assert is_infrastructure_failure(OperationalError("q", {}, Exception()))
    assert is_infrastructure_failure(DBAPIError("q", {}, Adapted("40P01")))  # deadlock
    assert is_infrastructure_failure(DBAPIError("q", {}, Adapted("40001")))  # serialization
    assert not is_infrastructure_failure(IntegrityError("q", {}, Adapted("23505")))
    assert not is_infrastructure_failure(RuntimeError("handler bug"))
    assert not is_infrastructure_failure(asyncpg.exceptions.DataError("bad value"))


async def _effects_are(bus, expected: dict[str, int]) -> bool:
    return await count_effects(bus) == expected
