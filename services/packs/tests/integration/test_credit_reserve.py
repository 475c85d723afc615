"""Reserving credits: exactly the remaining ones under concurrency, idempotent per session."""

import asyncio
import uuid
from datetime import timedelta

import pytest

from shared.errors import DomainError
from shared.messaging import RemoteError
from shared.messaging import packs_requests as contract


def reserve_request(student: str, mentor: str, *, starts_at, session_id=None):
    return contract.CreditReserveRequest(
        session_id=session_id or uuid.uuid4(),
        student_id=student,
        mentor_id=mentor,
        session_starts_at=starts_at,
    )


async def test_twenty_concurrent_reserves_against_two_credits_give_exactly_two(packs_app):
    await packs_app.buy("s1", "m1", sessions=4)
    await packs_app.reserve("s1", "m1")
    await packs_app.reserve("s1", "m1")  # 2 of 4 booked: 2 remain
    requester = packs_app.runtime.bus.requester
    starts_at = packs_app.clock.now() + timedelta(days=3)

    async def reserve() -> str:
        try:
            await requester.request(
                contract.CREDIT_RESERVE,
                reserve_request("s1", "m1", starts_at=starts_at),
                contract.CreditReserveReply,
                timeout=10,
            )
            return "reserved"
        except RemoteError as refused:
            return refused.code

    results = await asyncio.gather(*(reserve() for _ in range(20)))
    assert results.count("reserved") == 2
    assert results.count("NO_REMAINING_SESSIONS") == 18
    assert await packs_app.count("SELECT sessions_reserved FROM packs") == 4
    assert await packs_app.count("SELECT count(*) FROM credits WHERE status = 'reserved'") == 4


async def test_twenty_concurrent_reserve_transactions_never_overdraw_a_pack(packs_app):
    await packs_app.buy("s1", "m1", sessions=2)

    async def reserve() -> str:
        try:
            await packs_app.reserve("s1", "m1")
            return "reserved"
        except DomainError as refused:
            return refused.code

    results = await asyncio.gather(*(reserve() for _ in range(20)))
    assert results.count("reserved") == 2
    assert results.count("NO_REMAINING_SESSIONS") == 18


async def test_the_same_session_reserved_twice_concurrently_takes_one_credit(packs_app):
    pack_id = await packs_app.buy("s1", "m1", sessions=4)
    session_id = uuid.uuid4()
    answers = await asyncio.gather(
        *(packs_app.reserve("s1", "m1", session_id=session_id) for _ in range(10))
    )
    assert {a.pack_id for a in answers} == {pack_id}
    assert (await packs_app.pack(pack_id)).sessions_reserved == 1


async def test_a_reserve_draws_from_the_pack_that_expires_first(packs_app):
    later = await packs_app.buy("s1", "m1", sessions=4, days=45)
    sooner = await packs_app.buy("s1", "m1", sessions=1, days=30)
    first = await packs_app.reserve("s1", "m1")
    second = await packs_app.reserve("s1", "m1")
    assert (first.pack_id, second.pack_id) == (sooner, later)
    assert second.remaining == 3


async def test_each_eligibility_refusal_comes_back_with_its_code(packs_app):
    requester = packs_app.runtime.bus.requester
    now = packs_app.clock.now()

    async def refusal(student: str, starts_in: timedelta) -> str:
        with pytest.raises(RemoteError) as refused:
            await requester.request(
                contract.CREDIT_RESERVE,
                reserve_request(student, "m1", starts_at=now + starts_in),
                contract.CreditReserveReply,
            )
        return refused.value.code

    assert await refusal("nobody", timedelta(days=1)) == "PACK_NOT_FOUND"
    await packs_app.buy("short", "m1", days=5)
    assert await refusal("short", timedelta(days=6)) == "SCHEDULED_AFTER_EXPIRATION"
    await packs_app.buy("one", "m1", sessions=1)
    await packs_app.reserve("one", "m1")
    assert await refusal("one", timedelta(days=1)) == "NO_REMAINING_SESSIONS"
    packs_app.clock.advance(timedelta(days=31))
    assert await refusal("one", timedelta(days=1)) == "PACK_EXPIRED"


async def test_a_session_released_before_its_reserve_can_never_take_a_credit(packs_app):
    pack_id = await packs_app.buy("s1", "m1")
    session_id = uuid.uuid4()
    assert await packs_app.release(session_id) == "released"
    with pytest.raises(DomainError) as refused:
        await packs_app.reserve("s1", "m1", session_id=session_id)
    assert refused.value.code == "CREDIT_RELEASED"
    assert (await packs_app.pack(pack_id)).sessions_reserved == 0


async def test_releasing_a_reserved_credit_gives_it_back_once(packs_app):
    pack_id = await packs_app.buy("s1", "m1", sessions=1)
    reserved = await packs_app.reserve("s1", "m1")
    statuses = await asyncio.gather(*(packs_app.release(reserved.session_id) for _ in range(5)))
    assert set(statuses) == {"released"}
    pack = await packs_app.pack(pack_id)
    assert (pack.sessions_reserved, pack.sessions_used) == (0, 0)
    assert (await packs_app.reserve("s1", "m1")).pack_id == pack_id


async def test_release_and_eligibility_answer_over_nats(packs_app):
    await packs_app.buy("s1", "m1", sessions=2)
    requester = packs_app.runtime.bus.requester
    reserved = await packs_app.reserve("s1", "m1")
    released = await requester.request(
        contract.CREDIT_RELEASE,
        contract.CreditReleaseRequest(session_id=reserved.session_id),
        contract.CreditReleaseReply,
    )
    assert released.status == "released"
    eligibility = await requester.request(
        contract.ELIGIBILITY_GET,
        contract.EligibilityRequest(student_id="s1", mentor_id="m1"),
        contract.EligibilityReply,
    )
    assert (eligibility.eligible, eligibility.code, eligibility.remaining) == (True, None, 2)
    nobody = await requester.request(
        contract.ELIGIBILITY_GET,
        contract.EligibilityRequest(student_id="s9", mentor_id="m1"),
        contract.EligibilityReply,
    )
    assert (nobody.eligible, nobody.code, nobody.remaining) == (False, "PACK_NOT_FOUND", 0)


async def test_a_release_racing_its_reserve_never_leaves_a_credit_taken(packs_app):
    pack_id = await packs_app.buy("s1", "m1", sessions=20)

    async def reserve(session_id: uuid.UUID) -> str:
        try:
            await packs_app.reserve("s1", "m1", session_id=session_id)
            return "reserved"
        except DomainError as refused:
            return refused.code

    outcomes = []
    for _ in range(10):
        session_id = uuid.uuid4()
        reserved, released = await asyncio.gather(
            reserve(session_id), packs_app.release(session_id)
        )
        outcomes.append(reserved)
        assert released == "released"
    assert set(outcomes) <= {"reserved", "CREDIT_RELEASED"}
    assert (await packs_app.pack(pack_id)).sessions_reserved == 0
    assert await packs_app.count("SELECT count(*) FROM credits WHERE status <> 'released'") == 0
