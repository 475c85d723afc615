"""The HTTP API: who may see and change what, and the numbers the dashboards show."""

import uuid

from shared.messaging.events import MentorCapacityChanged
from shared.testing.plugin import auth_headers
from shared.testing.service_checks import assert_alive_ready_measured_and_documented

STUDENT = auth_headers("s1", "student")
MENTOR = auth_headers("m1", "mentor")
OTHER_MENTOR = auth_headers("m2", "mentor")
ADMIN = auth_headers("root", "admin")


async def test_a_student_sees_their_packs_with_remaining_reserved_used_and_seat(packs_app):
    pack_id = await packs_app.buy("s1", "m1", sessions=4, days=30)
    await packs_app.book_and_complete("s1", "m1")
    await packs_app.reserve("s1", "m1")
    await packs_app.buy("someone-else", "m1")
    response = await packs_app.client.get("/v1/me/packs", headers=STUDENT)
    assert response.status_code == 200
    [pack] = response.json()
    assert pack["id"] == str(pack_id)
    assert (pack["sessions_used"], pack["sessions_reserved"], pack["remaining"]) == (1, 1, 2)
    assert (pack["status"], pack["seat_status"]) == ("active", "active")


async def test_a_pack_is_visible_to_its_student_its_mentor_and_admins_only(packs_app):
    pack_id = await packs_app.buy("s1", "m1")
    for headers in (STUDENT, MENTOR, ADMIN):
        response = await packs_app.client.get(f"/v1/packs/{pack_id}", headers=headers)
        assert response.status_code == 200
    hidden = await packs_app.client.get(f"/v1/packs/{pack_id}", headers=OTHER_MENTOR)
    assert (hidden.status_code, hidden.json()["code"]) == (404, "NOT_FOUND")
    unknown = await packs_app.client.get(f"/v1/packs/{uuid.uuid4()}", headers=ADMIN)
    assert unknown.status_code == 404
    malformed = await packs_app.client.get("/v1/packs/not-a-uuid", headers=ADMIN)
    assert (malformed.status_code, malformed.json()["code"]) == (422, "VALIDATION_FAILED")
    assert malformed.headers["content-type"] == "application/problem+json"


async def test_the_mentor_dashboard_shows_seats_grace_expiry_and_open_seats(packs_app):
    await packs_app.buy("s1", "m1", sessions=1)
    await packs_app.book_and_complete("s1", "m1")  # s1 in grace
    await packs_app.buy("s2", "m1", sessions=4)
    await packs_app.hold("s3", "m1")
    response = await packs_app.client.get("/v1/mentors/m1/seats", headers=MENTOR)
    assert response.status_code == 200
    body = response.json()
    assert (body["capacity"], body["live_seats"], body["open_seats"]) == (10, 3, 7)
    by_student = {seat["student_id"]: seat for seat in body["seats"]}
    assert by_student["s1"]["status"] == "grace" and by_student["s1"]["grace_ends_at"]
    assert by_student["s2"]["status"] == "active" and by_student["s2"]["remaining"] == 4
    assert by_student["s2"]["expires_at"]
    assert by_student["s3"]["status"] == "held" and by_student["s3"]["held_until"]


async def test_only_the_mentor_or_an_admin_sees_the_dashboard(packs_app):
    for headers, status in ((MENTOR, 200), (ADMIN, 200), (OTHER_MENTOR, 403), (STUDENT, 403)):
        response = await packs_app.client.get("/v1/mentors/m1/seats", headers=headers)
        assert response.status_code == status
    assert (await packs_app.client.get("/v1/mentors/m1/seats")).status_code == 401


async def test_the_mentor_changes_capacity_and_open_seats_are_announced(packs_app):
    await packs_app.buy("s1", "m1")
    response = await packs_app.client.put(
        "/v1/mentors/m1/capacity", json={"capacity": 4}, headers=MENTOR
    )
    assert response.status_code == 200
    assert response.json() == {"mentor_id": "m1", "capacity": 4, "live_seats": 1, "open_seats": 3}
    changed = (await packs_app.recorded(MentorCapacityChanged))[-1]
    assert (changed.capacity, changed.live_seats, changed.open_seats) == (4, 1, 3)


async def test_an_admin_runs_a_due_job_on_demand(packs_app):
    response = await packs_app.client.post("/v1/admin/jobs/expire-packs/run", headers=ADMIN)
    assert response.status_code == 200 and response.json() == {"job": "expire-packs", "handled": 0}


async def test_packs_is_alive_ready_measured_and_documented(packs_app):
    await assert_alive_ready_measured_and_documented(
        packs_app.service,
        paths={
            "/v1/me/packs",
            "/v1/packs/{pack_id}",
            "/v1/mentors/{mentor_id}/seats",
            "/v1/mentors/{mentor_id}/capacity",
        },
        subjects={
            "packs.credit.reserve",
            "packs.credit.release",
            "packs.seat.hold",
            "packs.eligibility.get",
            "payment.succeeded",
            "payment.failed",
            "payment.refunded",
            "session.completed",
            "session.no_show",
            "session.canceled",
            "session.booked",
        },
    )


async def test_a_refunded_pack_reports_nothing_bookable_and_what_the_refund_voided(packs_app):
    from packs.service_layer.revoke_pack import revoke_pack
    from shared.messaging.events import PaymentRefunded

    order = uuid.uuid4()
    pack_id = await packs_app.buy("s1", "m1", sessions=4, order_id=order)
    await packs_app.book_and_complete("s1", "m1")
    await packs_app.reserve("s1", "m1")  # booked, then voided by the refund
    refund = PaymentRefunded(
        order_id=order,
        refund_id=uuid.uuid4(),
        student_id="s1",
        mentor_id="m1",
        amount=30_000,
        currency="EUR",
        full=True,
        refunded_at=packs_app.clock.now(),
    )
    assert await packs_app.run(revoke_pack, refund)

    [mine] = (await packs_app.client.get("/v1/me/packs", headers=STUDENT)).json()
    one = (await packs_app.client.get(f"/v1/packs/{pack_id}", headers=MENTOR)).json()

    assert mine == one
    assert (mine["status"], mine["remaining"], mine["voided"]) == ("refunded", 0, 3)
    assert (mine["sessions_used"], mine["sessions_reserved"]) == (1, 0)


async def test_an_expired_pack_reports_nothing_bookable_even_before_the_expiry_job(packs_app):
    from datetime import timedelta

    pack_id = await packs_app.buy("s1", "m1", sessions=4, days=30)
    await packs_app.reserve("s1", "m1")  # still happens after the expiry
    live = (await packs_app.client.get(f"/v1/packs/{pack_id}", headers=STUDENT)).json()
    packs_app.clock.advance(timedelta(days=31))

    due = (await packs_app.client.get(f"/v1/packs/{pack_id}", headers=STUDENT)).json()
    await packs_app.run_job("expire-packs")
    expired = (await packs_app.client.get(f"/v1/packs/{pack_id}", headers=STUDENT)).json()

    assert (live["remaining"], live["voided"]) == (3, 0)
    assert (due["status"], due["remaining"], due["voided"]) == ("active", 0, 3)
    assert (expired["status"], expired["remaining"], expired["voided"]) == ("expired", 0, 3)
    assert expired["sessions_reserved"] == 1


async def test_a_depleted_pack_has_nothing_bookable_and_nothing_voided(packs_app):
    pack_id = await packs_app.buy("s1", "m1", sessions=1)
    await packs_app.book_and_complete("s1", "m1")

    pack = (await packs_app.client.get(f"/v1/packs/{pack_id}", headers=STUDENT)).json()

    assert (pack["status"], pack["remaining"], pack["voided"]) == ("depleted", 0, 0)


async def test_the_openapi_says_remaining_is_bookable_and_voided_is_separate(packs_app):
    schema = (await packs_app.client.get("/openapi.json")).json()
    fields = schema["components"]["schemas"]["PackRead"]["properties"]

    assert "0 once it is refunded, expired or depleted" in fields["remaining"]["description"]
    assert "refunded or expired" in fields["voided"]["description"]
