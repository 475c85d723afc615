"""Completed, missed and canceled sessions settle their credit exactly once."""

import asyncio
import uuid
from datetime import timedelta

from shared.messaging.events import (
    Envelope,
    PackDepleted,
    PackRenewalDue,
    SeatGraceStarted,
    SessionCanceled,
    SessionCompleted,
    SessionNoShow,
)
from shared.testing.helpers import eventually


def completed(session_id: uuid.UUID, clock) -> SessionCompleted:
    return SessionCompleted(
        session_id=session_id, mentor_id="m1", student_id="s1", completed_at=clock.now()
    )


async def assert_consumed_once(app, pack_id) -> None:
    pack = await app.pack(pack_id)
    assert (pack.sessions_used, pack.sessions_reserved, pack.status) == (1, 0, "depleted")
    assert len(await app.recorded(PackDepleted)) == 1
    assert [e.remaining for e in await app.recorded(PackRenewalDue)] == [0]
    assert len(await app.recorded(SeatGraceStarted)) == 1
    assert (await app.seat("s1", "m1")).status == "grace"


async def test_one_completion_delivered_ten_times_to_two_replicas_consumes_one_credit(
    start_packs, event_probe
):
    first = await start_packs()
    await start_packs(database_url=first.service.database_url)  # a second replica
    pack_id = await first.buy("s1", "m1", sessions=1)
    reserved = await first.reserve("s1", "m1")
    envelope = Envelope.wrap(completed(reserved.session_id, first.clock), producer="booking")
    # Distinct Nats-Msg-Ids defeat the stream's dedupe: ten real, concurrent deliveries.
    await asyncio.gather(
        *(
            first.publish(envelope.payload(), envelope=envelope, msg_id=f"{envelope.id}-{n}")
            for n in range(10)
        )
    )
    await event_probe.wait_for(SessionCompleted, count=10)

    async def consumed() -> bool:
        return (await first.pack(pack_id)).sessions_used == 1

    await eventually(consumed)
    await asyncio.sleep(1.0)  # let every other delivery finish
    await assert_consumed_once(first, pack_id)


async def test_ten_different_completion_events_for_one_session_consume_one_credit(
    start_packs, event_probe
):
    first = await start_packs()
    await start_packs(database_url=first.service.database_url)
    pack_id = await first.buy("s1", "m1", sessions=1)
    reserved = await first.reserve("s1", "m1")
    await asyncio.gather(
        *(
            first.publish(completed(reserved.session_id, first.clock), producer="booking")
            for _ in range(10)
        )
    )

    async def all_handled() -> bool:
        return (
            await first.count(
                "SELECT count(*) FROM inbox WHERE consumer = 'packs-session-completed'"
            )
            == 10
        )

    await eventually(all_handled)
    await assert_consumed_once(first, pack_id)


async def test_ten_concurrent_consume_transactions_consume_once(packs_app):
    pack_id = await packs_app.buy("s1", "m1", sessions=1)
    reserved = await packs_app.reserve("s1", "m1")
    results = await asyncio.gather(*(packs_app.consume(reserved.session_id) for _ in range(10)))
    assert results.count(True) == 1
    await assert_consumed_once(packs_app, pack_id)


async def test_a_no_show_consumes_the_credit(packs_app):
    pack_id = await packs_app.buy("s1", "m1", sessions=4)
    reserved = await packs_app.reserve("s1", "m1")
    await packs_app.publish(
        SessionNoShow(
            session_id=reserved.session_id,
            mentor_id="m1",
            student_id="s1",
            recorded_at=packs_app.clock.now(),
        )
    )

    async def consumed() -> bool:
        return (await packs_app.pack(pack_id)).sessions_used == 1

    await eventually(consumed)


async def canceled(app, *, by: str, late: bool) -> tuple[int, int]:
    """Book one session, cancel it, and return the pack's (used, reserved) afterwards."""
    pack_id = await app.buy(f"s-{by}-{late}", "m1", sessions=4)
    reserved = await app.reserve(f"s-{by}-{late}", "m1")
    await app.publish(
        SessionCanceled(
            session_id=reserved.session_id,
            mentor_id="m1",
            student_id=f"s-{by}-{late}",
            starts_at=app.clock.now() + timedelta(hours=5),
            canceled_by=by,
            late=late,
        )
    )

    async def settled() -> bool:
        return (await app.pack(pack_id)).sessions_reserved == 0

    await eventually(settled)
    pack = await app.pack(pack_id)
    return pack.sessions_used, pack.sessions_reserved


async def test_a_students_late_cancel_consumes_the_credit(packs_app):
    assert await canceled(packs_app, by="student", late=True) == (1, 0)


async def test_a_students_cancel_in_time_restores_the_credit(packs_app):
    assert await canceled(packs_app, by="student", late=False) == (0, 0)


async def test_a_mentors_cancel_always_restores_the_credit(packs_app):
    assert await canceled(packs_app, by="mentor", late=True) == (0, 0)
