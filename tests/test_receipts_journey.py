"""Receipts through the real gateway (issue 21, item 5): a student checks out in the sandbox and
pays; the order has one receipt R-…, readable as JSON, HTML and PDF by the student and an
admin (another student gets 404), and the student is mailed "Your receipt R-…" with its
links; an admin's refund gives a credit note C-… naming the receipt, and a second mail."""

import asyncio
from pathlib import Path

import httpx
import pytest

from mentorship.journey.actions import checkout, expect, pay, wait_for_mail
from mentorship.journey.cast import Cast, Journey
from mentorship.journey.harness import behind_gateway
from mentorship.journey.steps import STEPS
from mentorship.journey.suite import Suite, eventually
from mentorship.services import SERVICES, repo_root
from shared.auth_dev import DEV_JWT_SECRET

pytestmark = pytest.mark.timeout(600)


def download(suite: Suite, url: str, *, as_) -> httpx.Response:
    """A receipt's public link (as mailed), opened with the reader's token."""
    return suite.http.get(url, headers={"Authorization": f"Bearer {suite.token(as_)}"})


def receipts_walk(base_url: str) -> None:
    suite = Suite(base_url, DEV_JWT_SECRET)
    j = Journey(suite=suite, cast=Cast.fresh())
    try:
        STEPS[0].run(j)  # the mentor, her hours, a product and contacts
        a, b, admin = j.cast.a, j.cast.b, j.cast.admin
        order_id = checkout(j, a)["order_id"]
        receipts = f"/v1/orders/{order_id}/receipts"
        assert suite.call("payments", "GET", receipts, as_=a) == []  # not paid yet
        pay(j, a, order_id)

        [receipt] = eventually(
            lambda: suite.call("payments", "GET", receipts, as_=a), what="the order's receipt"
        )
        number = receipt["number"]
        expect(number.startswith("R-"), f"a purchase receipt: {receipt}")
        assert (receipt["kind"], receipt["buyer"]["student_id"]) == ("purchase", a.user_id)
        assert receipt["total"] == sum(line["amount"] for line in receipt["lines"])
        assert receipt["provider"] == "sandbox" and receipt["provider_ref"]
        path = f"/v1/receipts/{receipt['receipt_id']}"
        assert suite.call("payments", "GET", path, as_=admin) == receipt
        suite.refused("payments", "GET", path, code="RECEIPT_NOT_FOUND", as_=b)
        suite.refused("payments", "GET", receipts, code="ORDER_NOT_FOUND", as_=b)

        mail = wait_for_mail(j, a, f"Your receipt {number}")
        links = receipt["links"]
        assert links["html"] in mail["text"] and links["pdf"] in mail["text"]
        assert links["pdf"].startswith(f"{base_url}/api/payments/v1/receipts/")
        html = download(suite, links["html"], as_=a)
        pdf = download(suite, links["pdf"], as_=a)
        assert html.status_code == pdf.status_code == 200, (html.text, pdf.text)
        assert number in html.text and receipt["lines"][0]["description"] in html.text
        assert pdf.content.startswith(b"%PDF") and number.encode() in pdf.content
        assert download(suite, links["pdf"], as_=b).status_code == 404

        suite.call("payments", "POST", f"/v1/orders/{order_id}/refunds", expect=201,
                   as_=admin, json={"reason": "requested_by_customer"})  # fmt: skip
        purchase, refund = eventually(
            lambda: (r := suite.call("payments", "GET", receipts, as_=a)) and len(r) == 2 and r,
            what="a credit note after the refund",
        )
        assert purchase == receipt
        assert (refund["kind"], refund["refers_to"], refund["total"]) == (
            "refund",
            number,
            receipt["total"],
        )
        expect(refund["number"].startswith("C-"), f"a credit note: {refund}")
        wait_for_mail(j, a, f"Your credit note {refund['number']}")
        assert len([m for m in suite.mails(to=a.email) if number in str(m["subject"])]) == 1
    finally:
        suite.close()


async def test_a_paid_order_and_its_refund_each_get_a_receipt_mailed_and_downloadable(
    databases, nats_url, namespace, tmp_path: Path
):
    urls = {}
    for service in SERVICES:
        ini = repo_root() / "services" / service.name / "alembic.ini"
        _, urls[service.name] = await databases.create(ini)
    with behind_gateway(
        database_urls=urls, nats_url=nats_url, namespace=namespace, workdir=tmp_path
    ) as (_, gateway):
        await asyncio.to_thread(receipts_walk, gateway.url)
