"""A full mentor's waitlist on real Postgres and NATS: one offer per freed seat whatever runs
at the same time (several seats freed at once, joins and leaves racing a release, the same
event delivered twice, replicas of the expiry job), and the HTTP API with its problems."""

import asyncio
import uuid
from datetime import timedelta

from sqlalchemy import text

from packs.entrypoints.jobs import EXPIRE_HOLDS
from packs.service_layer.change_capacity import ChangeCapacity, change_capacity
from packs.service_layer.join_waitlist import JoinWaitlist, join_waitlist
from packs.service_layer.leave_waitlist import LeaveWaitlist, leave_waitlist
from packs.service_layer.revoke_pack import revoke_pack
from shared.errors import DomainError
from shared.messaging import RemoteError
from shared.messaging import packs_requests as contract
from shared.messaging.events import PaymentRefunded, WaitlistSeatOffered
from shared.testing.helpers import eventually
from shared.testing.plugin import auth_headers

OFFER = timedelta(hours=24)
MENTOR = auth_headers("m1", "mentor")
ADMIN = auth_headers("root", "admin")


def student(name: str) -> dict[str, str]:
    return auth_headers(name, "student")


def refund_of(app, order_id: uuid.UUID, student_id: str) -> PaymentRefunded:
    return PaymentRefunded(
        order_id=order_id,
        refund_id=uuid.uuid4(),
        student_id=student_id,
        mentor_id="m1",
        amount=10_000,
        currency="EUR",
        full=True,
        refunded_at=app.clock.now(),
    )


async def full_mentor(app, capacity: int) -> dict[str, uuid.UUID]:
    """m1 with `capacity` seats, each bought by s0..s{n-1}: student → order id."""
    await app.run(change_capacity, ChangeCapacity("m1", capacity))
    orders = {}
    for n in range(capacity):
        order = uuid.uuid4()
        await app.buy(f"s{n}", "m1", order_id=order)
        orders[f"s{n}"] = order
    return orders


async def join(app, name: str):
    try:
        return await app.run(join_waitlist, JoinWaitlist(name, "m1"))
    except DomainError as refused:
        return refused.code


async def standing_offers(app) -> list[tuple[str, int]]:
    """(student, seq) of the standing offers, in line order."""
    async with app.runtime.connection_factory() as connection:
        rows = await connection.execute(
            text(
                "SELECT student_id, seq FROM waitlist_entries "
                "WHERE mentor_id = 'm1' AND status = 'offered' ORDER BY seq"
            )
        )
        return [(row.student_id, row.seq) for row in rows]


async def live_seats(app) -> int:
    return await app.count(
        "SELECT count(*) FROM seats WHERE mentor_id = 'm1' AND status IN ('held','active','grace')"
    )


async def test_three_seats_freed_at_once_make_exactly_three_offers_to_the_first_three(packs_app):
    orders = await full_mentor(packs_app, 3)
    for n in range(6):
        assert (await join(packs_app, f"w{n}")).position == n + 1

    refunds = [refund_of(packs_app, order, name) for name, order in orders.items()]
    await asyncio.gather(*(packs_app.run(revoke_pack, refund) for refund in refunds))

    assert [name for name, _ in await standing_offers(packs_app)] == ["w0", "w1", "w2"]
    offered = await packs_app.recorded(WaitlistSeatOffered)
    assert sorted(e.student_id for e in offered) == ["w0", "w1", "w2"]
    assert {e.expires_at for e in offered} == {packs_app.clock.now() + OFFER}
    assert await live_seats(packs_app) == 3
    held = await packs_app.count("SELECT count(*) FROM seats WHERE status = 'held'")
    assert held == 3


async def test_joins_and_leaves_racing_a_release_leave_one_offer_to_the_first_still_in_line(
    packs_app,
):
    orders = await full_mentor(packs_app, 1)
    for n in range(4):
        await join(packs_app, f"w{n}")

    refund = refund_of(packs_app, orders["s0"], "s0")
    await asyncio.gather(
        packs_app.run(revoke_pack, refund),
        *(packs_app.run(leave_waitlist, LeaveWaitlist(f"w{n}", "m1")) for n in range(3)),
        *(join(packs_app, f"late{n}") for n in range(6)),
    )

    [(name, seq)] = await standing_offers(packs_app)
    first_open = await packs_app.count(
        "SELECT min(seq) FROM waitlist_entries WHERE mentor_id = 'm1' "
        "AND status IN ('waiting', 'offered')"
    )
    assert seq == first_open
    assert await live_seats(packs_app) == 1
    # Every offer made went to someone who then left, or to the one standing now.
    offered = [e.student_id for e in await packs_app.recorded(WaitlistSeatOffered)]
    # (in no particular order: the racing transactions record theirs concurrently)
    assert name in offered and set(offered) - {name} <= {"w0", "w1", "w2"}


async def test_a_refund_delivered_twice_frees_one_seat_and_makes_one_offer(packs_app):
    orders = await full_mentor(packs_app, 1)
    await join(packs_app, "w0")
    await join(packs_app, "w1")

    refund = refund_of(packs_app, orders["s0"], "s0")
    await asyncio.gather(
        *(packs_app.publish(refund, producer="payments") for _ in range(3)),
        packs_app.publish(
            refund.model_copy(update={"refund_id": uuid.uuid4()}), producer="payments"
        ),
    )

    async def handled() -> bool:
        count = await packs_app.count(
            "SELECT count(*) FROM inbox WHERE consumer = 'packs-payment-refunded'"
        )
        return count == 4

    await eventually(handled)
    assert [name for name, _ in await standing_offers(packs_app)] == ["w0"]
    assert len(await packs_app.recorded(WaitlistSeatOffered)) == 1


async def test_an_expired_offer_passes_to_the_next_once_however_many_runs_race(packs_app):
    orders = await full_mentor(packs_app, 1)
    for name in ("w0", "w1", "w2"):
        await join(packs_app, name)
    await packs_app.run(revoke_pack, refund_of(packs_app, orders["s0"], "s0"))

    packs_app.clock.advance(OFFER)
    await asyncio.gather(*(packs_app.run_job(EXPIRE_HOLDS) for _ in range(4)))

    assert [name for name, _ in await standing_offers(packs_app)] == ["w1"]
    expired = await packs_app.count(
        "SELECT count(*) FROM waitlist_entries WHERE student_id = 'w0' AND status = 'expired'"
    )
    assert expired == 1
    assert [e.student_id for e in await packs_app.recorded(WaitlistSeatOffered)] == ["w0", "w1"]
    assert await live_seats(packs_app) == 1


async def test_over_nats_the_offered_student_checks_out_on_the_held_seat_others_are_full(
    packs_app, event_probe
):
    orders = await full_mentor(packs_app, 1)
    await join(packs_app, "w0")
    await packs_app.run(revoke_pack, refund_of(packs_app, orders["s0"], "s0"))
    offered_seat = await packs_app.seat("w0", "m1")
    requester = packs_app.runtime.bus.requester

    async def hold(name: str):
        request = contract.SeatHoldRequest(order_id=uuid.uuid4(), student_id=name, mentor_id="m1")
        try:
            return await requester.request(
                contract.SEAT_HOLD, request, contract.SeatHoldReply, timeout=10
            )
        except RemoteError as refused:
            return refused.code

    other, mine = await asyncio.gather(hold("c0"), hold("w0"))
    assert other == "NO_SEAT_AVAILABLE"
    assert (mine.outcome, mine.seat_id) == ("held", offered_seat.id)

    await packs_app.publish(
        packs_app.purchase("w0", "m1", order_id=mine.order_id), producer="payments"
    )

    async def accepted() -> bool:
        done = await packs_app.count(
            "SELECT count(*) FROM waitlist_entries WHERE student_id = 'w0' AND status = 'accepted'"
        )
        return done == 1

    await eventually(accepted)
    seat = await packs_app.seat("w0", "m1")
    assert (seat.id, seat.status) == (offered_seat.id, "active")


async def test_the_http_api_joins_shows_the_place_and_the_mentor_s_list_and_leaves(packs_app):
    client = packs_app.client
    free = await client.post("/v1/mentors/m1/waitlist", headers=student("w0"))
    assert (free.status_code, free.json()["code"]) == (409, "SEAT_AVAILABLE")
    assert free.headers["content-type"] == "application/problem+json"

    orders = await full_mentor(packs_app, 1)
    seated = await client.post("/v1/mentors/m1/waitlist", headers=student("s0"))
    assert (seated.status_code, seated.json()["code"]) == (409, "ALREADY_SEATED")
    as_mentor = await client.post("/v1/mentors/m1/waitlist", headers=auth_headers("m2", "mentor"))
    assert (as_mentor.status_code, as_mentor.json()["code"]) == (403, "WAITLIST_STUDENTS_ONLY")

    first = await client.post("/v1/mentors/m1/waitlist", headers=student("w0"))
    second = await client.post("/v1/mentors/m1/waitlist", headers=student("w1"))
    again = await client.post("/v1/mentors/m1/waitlist", headers=student("w0"))
    assert (first.status_code, second.status_code, again.status_code) == (201, 201, 200)
    assert again.json() == first.json()
    assert (first.json()["position"], second.json()["position"]) == (1, 2)

    mine = await client.get("/v1/me/waitlists", headers=student("w1"))
    assert [(p["mentor_id"], p["status"], p["position"]) for p in mine.json()] == [
        ("m1", "waiting", 2)
    ]
    for headers, status in ((MENTOR, 200), (ADMIN, 200), (student("w0"), 403)):
        listed = await client.get("/v1/mentors/m1/waitlist", headers=headers)
        assert listed.status_code == status
    body = (await client.get("/v1/mentors/m1/waitlist", headers=MENTOR)).json()
    assert [e["student_id"] for e in body["entries"]] == ["w0", "w1"]
    assert (body["waiting"], body["offers"]) == (2, 0)

    await packs_app.run(revoke_pack, refund_of(packs_app, orders["s0"], "s0"))
    [offer] = (await client.get("/v1/me/waitlists", headers=student("w0"))).json()
    assert (offer["status"], offer["position"]) == ("offered", None)
    assert offer["offer_id"] and offer["offer_expires_at"]
    moved_up = (await client.get("/v1/me/waitlists", headers=student("w1"))).json()
    assert moved_up[0]["position"] == 1

    left = await client.delete("/v1/mentors/m1/waitlist", headers=student("w0"))
    assert left.status_code == 204
    again_left = await client.delete("/v1/mentors/m1/waitlist", headers=student("w0"))
    assert again_left.status_code == 204
    assert (await client.get("/v1/me/waitlists", headers=student("w0"))).json() == []
    [passed] = (await client.get("/v1/me/waitlists", headers=student("w1"))).json()
    assert passed["status"] == "offered"


async def test_a_capacity_raise_racing_a_refund_offers_every_free_seat_once(packs_app):
    orders = await full_mentor(packs_app, 2)
    for n in range(5):
        await join(packs_app, f"w{n}")

    await asyncio.gather(
        packs_app.run(revoke_pack, refund_of(packs_app, orders["s0"], "s0")),
        packs_app.run(change_capacity, ChangeCapacity("m1", 4)),
    )

    assert [name for name, _ in await standing_offers(packs_app)] == ["w0", "w1", "w2"]
    assert len(await packs_app.recorded(WaitlistSeatOffered)) == 3
    assert await live_seats(packs_app) == 4
