"""A full mentor's waitlist through the real gateway (issue 21, item 1): with one seat, A buys
it, B and C join the waitlist in that order, A's refund frees the seat, B gets the offer (a
seat held for B, and its mail), C's checkout is refused as full while B checks out and pays on
the held seat, and C moves up to first in line."""

import asyncio
from pathlib import Path

import pytest

from mentorship.journey.actions import (
    checkout,
    checkout_request,
    expect,
    pack_of,
    pay,
    wait_for_mail,
)
from mentorship.journey.cast import Cast, Journey
from mentorship.journey.harness import behind_gateway
from mentorship.journey.steps import STEPS
from mentorship.journey.suite import Suite, eventually
from mentorship.services import SERVICES, repo_root
from shared.auth_dev import DEV_JWT_SECRET

pytestmark = pytest.mark.timeout(600)


def waitlist_walk(base_url: str) -> None:
    suite = Suite(base_url, DEV_JWT_SECRET)
    j = Journey(suite=suite, cast=Cast.fresh())
    try:
        STEPS[0].run(j)  # the mentor, her hours, a product and contacts
        a, b, c, mentor = j.cast.a, j.cast.b, j.cast.c, j.cast.mentor
        waitlist = f"/v1/mentors/{mentor.user_id}/waitlist"
        suite.call("packs", "PUT", f"/v1/mentors/{mentor.user_id}/capacity", as_=mentor,
                   json={"capacity": 1})  # fmt: skip
        suite.refused("packs", "POST", waitlist, code="SEAT_AVAILABLE", as_=b)

        order_a = checkout(j, a)["order_id"]
        pay(j, a, order_a)
        suite.refused("payments", "POST", "/v1/checkout", code="NO_SEAT_AVAILABLE",
                      **checkout_request(j, b))  # fmt: skip
        suite.refused("packs", "POST", waitlist, code="ALREADY_SEATED", as_=a)
        joined_b = suite.call("packs", "POST", waitlist, expect=201, as_=b)
        joined_c = suite.call("packs", "POST", waitlist, expect=201, as_=c)
        assert (joined_b["position"], joined_c["position"]) == (1, 2)
        assert suite.call("packs", "POST", waitlist, as_=b) == joined_b  # twice: same place
        [place_c] = suite.call("packs", "GET", "/v1/me/waitlists", as_=c)
        assert (place_c["mentor_id"], place_c["position"]) == (mentor.user_id, 2)
        line = suite.call("packs", "GET", waitlist, as_=mentor)
        assert [e["student_id"] for e in line["entries"]] == [b.user_id, c.user_id]
        suite.refused("packs", "GET", waitlist, code="FORBIDDEN", as_=c)

        suite.call("payments", "POST", f"/v1/orders/{order_a}/refunds", expect=201,
                   as_=j.cast.admin, json={"reason": "requested_by_customer"})  # fmt: skip
        [offer] = eventually(
            lambda: [
                p
                for p in suite.call("packs", "GET", "/v1/me/waitlists", as_=b)
                if p["status"] == "offered"
            ],
            what="B offered A's freed seat",
        )
        expect(offer["offer_expires_at"] and offer["position"] is None, f"B's offer: {offer}")
        mail = wait_for_mail(j, b, "für Sie frei")  # B reads German (locale "de")
        expect(mentor.name in mail["subject"], f"B's offer mail: {mail['subject']!r}")
        [moved_up] = suite.call("packs", "GET", "/v1/me/waitlists", as_=c)
        assert (moved_up["status"], moved_up["position"]) == ("waiting", 1)

        suite.refused("payments", "POST", "/v1/checkout", code="NO_SEAT_AVAILABLE",
                      **checkout_request(j, c))  # fmt: skip
        pack_b = pay(j, b, checkout(j, b)["order_id"])
        assert (pack_b["status"], pack_b["seat_status"]) == ("active", "active")
        assert suite.call("packs", "GET", "/v1/me/waitlists", as_=b) == []
        line = suite.call("packs", "GET", waitlist, as_=mentor)
        assert [(e["student_id"], e["position"]) for e in line["entries"]] == [(c.user_id, 1)]
        assert not pack_of(j, c)
    finally:
        suite.close()


async def test_a_freed_seat_goes_to_the_first_in_line_through_the_gateway(
    databases, nats_url, namespace, tmp_path: Path
):
    urls = {}
    for service in SERVICES:
        ini = repo_root() / "services" / service.name / "alembic.ini"
        _, urls[service.name] = await databases.create(ini)
    with behind_gateway(
        database_urls=urls, nats_url=nats_url, namespace=namespace, workdir=tmp_path
    ) as (_, gateway):
        await asyncio.to_thread(waitlist_walk, gateway.url)
