"""Bad input gets a clear problem or a typed error reply, and changes nothing."""

import json
import uuid
from datetime import timedelta

import pytest

from packs.service_layer.release_hold import release_hold
from packs.service_layer.revoke_pack import revoke_pack
from shared.errors import DomainError
from shared.messaging import RemoteError
from shared.messaging import packs_requests as contract
from shared.messaging.events import PaymentRefunded
from shared.messaging.stream import subject_for
from shared.testing.plugin import auth_headers

MENTOR = auth_headers("m1", "mentor")


async def raw_request(app, subject: str, body: bytes) -> dict:
    """Send bytes as they come, bypassing the typed requester."""
    reply = await app.runtime.bus.broker.request(
        body, subject_for(app.namespace, subject), timeout=5
    )
    return json.loads(reply.body)


@pytest.mark.parametrize("capacity", [-1, "ten", None, 1.5, True, 10_001])
async def test_a_capacity_that_is_not_a_whole_non_negative_number_is_a_problem(packs_app, capacity):
    await packs_app.buy("s1", "m1")
    before = await packs_app.snapshot()
    response = await packs_app.client.put(
        "/v1/mentors/m1/capacity", json={"capacity": capacity}, headers=MENTOR
    )
    assert (response.status_code, response.json()["code"]) == (422, "VALIDATION_FAILED")
    assert response.json()["errors"][0]["loc"][-1] == "capacity"
    assert await packs_app.snapshot() == before


async def test_a_mentor_cannot_change_another_mentors_capacity(packs_app):
    before = await packs_app.snapshot()
    response = await packs_app.client.put(
        "/v1/mentors/m2/capacity", json={"capacity": 1}, headers=MENTOR
    )
    assert (response.status_code, response.json()["code"]) == (403, "FORBIDDEN")
    assert await packs_app.snapshot() == before


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        (contract.CREDIT_RESERVE, b"not json"),
        (contract.CREDIT_RESERVE, b'{"session_id": "nope", "student_id": "s1"}'),
        (
            contract.CREDIT_RESERVE,
            json.dumps(
                {
                    "session_id": str(uuid.uuid4()),
                    "student_id": "",
                    "mentor_id": "m1",
                    "session_starts_at": "2026-01-06T10:00:00+00:00",
                }
            ).encode(),
        ),
        (
            contract.CREDIT_RESERVE,
            json.dumps(
                {
                    "session_id": str(uuid.uuid4()),
                    "student_id": "s1",
                    "mentor_id": "m1",
                    "session_starts_at": "2026-01-06T10:00:00",
                }
            ).encode(),
        ),  # no time zone
        (
            contract.CREDIT_RESERVE,
            json.dumps(
                {
                    "session_id": str(uuid.uuid4()),
                    "student_id": "s1\u0000",
                    "mentor_id": "m1",
                    "session_starts_at": 1767693600,
                }
            ).encode(),
        ),  # a control character in an id, an instant as a unix number
        (contract.SEAT_HOLD, b'{"order_id": 42, "student_id": "s1", "mentor_id": "m1"}'),
        (
            contract.SEAT_HOLD,
            json.dumps(
                {
                    "order_id": "00000000-0000-4000-8000-000000000092",
                    "student_id": "s 1",
                    "mentor_id": "m1",
                }
            ).encode(),
        ),  # a space in a user id
        (contract.CREDIT_RELEASE, b"{}"),
        (contract.ELIGIBILITY_GET, b'{"student_id": ["s1"], "mentor_id": "m1"}'),
    ],
)
async def test_a_malformed_request_gets_invalid_request_and_changes_nothing(
    packs_app, subject, body
):
    await packs_app.buy("s1", "m1")
    before = await packs_app.snapshot()
    reply = await raw_request(packs_app, subject, body)
    assert reply["ok"] is False and reply["error"]["code"] == "INVALID_REQUEST"
    assert await packs_app.snapshot() == before


async def test_a_refused_request_changes_nothing(packs_app):
    await packs_app.buy("s1", "m1", sessions=1, days=5)
    await packs_app.reserve("s1", "m1")
    before = await packs_app.snapshot()
    requester = packs_app.runtime.bus.requester
    now = packs_app.clock.now()
    refusals = [
        (
            contract.CREDIT_RESERVE,
            contract.CreditReserveRequest(
                session_id=uuid.uuid4(),
                student_id="s1",
                mentor_id="m1",
                session_starts_at=now + timedelta(days=1),
            ),
            contract.CreditReserveReply,
            "NO_REMAINING_SESSIONS",
        ),
        (
            contract.CREDIT_RESERVE,
            contract.CreditReserveRequest(
                session_id=uuid.uuid4(),
                student_id="unknown",
                mentor_id="m1",
                session_starts_at=now + timedelta(days=1),
            ),
            contract.CreditReserveReply,
            "PACK_NOT_FOUND",
        ),
        (
            contract.SEAT_HOLD,
            contract.SeatHoldRequest(
                order_id=uuid.uuid4(),
                student_id="s2",
                mentor_id="m1",
                hold_until=now - timedelta(minutes=1),
            ),
            contract.SeatHoldReply,
            "INVALID_HOLD",
        ),
    ]
    for subject, payload, reply_model, code in refusals:
        with pytest.raises(RemoteError) as refused:
            await requester.request(subject, payload, reply_model)
        assert refused.value.code == code
    assert await packs_app.snapshot() == before


async def test_events_about_unknown_orders_and_sessions_change_nothing(packs_app):
    await packs_app.buy("s1", "m1")
    before = await packs_app.snapshot()
    assert not await packs_app.run(release_hold, uuid.uuid4())
    assert not await packs_app.run(
        revoke_pack,
        PaymentRefunded(
            order_id=uuid.uuid4(),
            refund_id=uuid.uuid4(),
            student_id="s1",
            mentor_id="m1",
            amount=1,
            currency="EUR",
            full=True,
            refunded_at=packs_app.clock.now(),
        ),
    )
    assert not await packs_app.consume(uuid.uuid4())
    assert await packs_app.snapshot() == before


async def test_reserving_with_a_session_id_of_another_student_is_refused(packs_app):
    await packs_app.buy("s1", "m1")
    await packs_app.buy("s2", "m1")
    taken = await packs_app.reserve("s1", "m1")
    with pytest.raises(DomainError) as refused:
        await packs_app.reserve("s2", "m1", session_id=taken.session_id)
    assert refused.value.code == "SESSION_ID_CONFLICT"
