"""`GET /v1/sessions/{id}/credit`: a booked session's credit, for its participants and admins."""

import uuid

from packs.service_layer.revoke_pack import revoke_pack
from shared.messaging.events import PaymentRefunded
from shared.testing.plugin import auth_headers

STUDENT = auth_headers("s1", "student")
MENTOR = auth_headers("m1", "mentor")
ADMIN = auth_headers("root", "admin")


async def credit(packs_app, session_id: uuid.UUID, headers=STUDENT):
    return await packs_app.client.get(f"/v1/sessions/{session_id}/credit", headers=headers)


async def test_a_booked_session_shows_its_reserved_credit_and_pack(packs_app):
    pack_id = await packs_app.buy("s1", "m1")
    reserved = await packs_app.reserve("s1", "m1")
    answer = await credit(packs_app, reserved.session_id)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["session_id"], body["pack_id"]) == (str(reserved.session_id), str(pack_id))
    assert (body["student_id"], body["mentor_id"], body["status"]) == ("s1", "m1", "reserved")
    assert body["reserved_at"] and body["session_starts_at"]
    assert (body["settled_at"], body["consumed_at"], body["outcome"]) == (None, None, None)


async def test_a_completed_session_shows_its_credit_consumed_and_when(packs_app):
    await packs_app.buy("s1", "m1")
    session_id = await packs_app.book_and_complete("s1", "m1")
    body = (await credit(packs_app, session_id, MENTOR)).json()
    assert (body["status"], body["outcome"]) == ("consumed", "completed")
    assert body["consumed_at"] == body["settled_at"] is not None


async def test_a_released_and_a_refunded_credit_say_so(packs_app):
    order = uuid.uuid4()
    await packs_app.buy("s1", "m1", order_id=order)
    released = await packs_app.reserve("s1", "m1")
    await packs_app.release(released.session_id)
    voided = await packs_app.reserve("s1", "m1")
    refund = PaymentRefunded(
        order_id=order,
        refund_id=uuid.uuid4(),
        student_id="s1",
        mentor_id="m1",
        amount=10_000,
        currency="EUR",
        full=True,
        refunded_at=packs_app.clock.now(),
    )
    assert await packs_app.run(revoke_pack, refund)
    body = (await credit(packs_app, released.session_id, ADMIN)).json()
    assert (body["status"], body["consumed_at"]) == ("released", None) and body["settled_at"]
    body = (await credit(packs_app, voided.session_id, ADMIN)).json()
    assert (body["status"], body["outcome"]) == ("void", "refunded")


async def test_only_its_student_its_mentor_and_admins_see_a_credit(packs_app):
    await packs_app.buy("s1", "m1")
    reserved = await packs_app.reserve("s1", "m1")
    for headers in (STUDENT, MENTOR, ADMIN):
        assert (await credit(packs_app, reserved.session_id, headers)).status_code == 200
    for outsider in (auth_headers("s2", "student"), auth_headers("m2", "mentor")):
        hidden = await credit(packs_app, reserved.session_id, outsider)
        assert (hidden.status_code, hidden.json()["code"]) == (404, "NOT_FOUND")
    anonymous = await packs_app.client.get(f"/v1/sessions/{reserved.session_id}/credit")
    assert anonymous.status_code == 401


async def test_an_unknown_or_malformed_session_is_a_problem_not_a_500(packs_app):
    unknown = await credit(packs_app, uuid.uuid4(), ADMIN)
    assert (unknown.status_code, unknown.json()["code"]) == (404, "NOT_FOUND")
    assert unknown.headers["content-type"] == "application/problem+json"
    malformed = await packs_app.client.get("/v1/sessions/nope/credit", headers=ADMIN)
    assert (malformed.status_code, malformed.json()["code"]) == (422, "VALIDATION_FAILED")


async def test_the_credit_route_is_documented_with_its_answers(packs_app):
    operation = (await packs_app.client.get("/openapi.json")).json()["paths"][
        "/v1/sessions/{session_id}/credit"
    ]["get"]
    assert {"200", "401", "404", "422", "503"} <= set(operation["responses"])
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/CreditRead"}
