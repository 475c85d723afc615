"""Only the order's student pays or cancels a sandbox checkout: with their bearer token (API
clients) or the signed link the checkout answered (a browser opening the page)."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from shared.testing.plugin import auth_headers

BROWSER = {"Accept": "text/html"}
OWNER = auth_headers("student-1", "student")
OTHER = auth_headers("student-2", "student")


async def sandbox_order(payments) -> dict:
    product = await payments.product()
    response = await payments.checkout(product["product_id"])
    assert response.status_code == 201, response.text
    return response.json()


def link_token(order: dict) -> str:
    return parse_qs(urlsplit(order["redirect_url"]).query)["token"][0]


@pytest.mark.parametrize("action", ["pay", "cancel"])
async def test_an_anonymous_caller_cannot_pay_or_cancel_and_nothing_moves(payments, action):
    order = await sandbox_order(payments)
    before = await payments.snapshot()

    response = await payments.client.post(f"/v1/sandbox/checkout/{order['order_id']}/{action}")

    assert response.status_code == 401, response.text
    assert response.json()["code"] == "UNAUTHORIZED"
    assert await payments.snapshot() == before


@pytest.mark.parametrize("action", ["pay", "cancel"])
async def test_another_student_cannot_pay_or_cancel_and_nothing_moves(payments, action):
    order = await sandbox_order(payments)
    before = await payments.snapshot()
    path = f"/v1/sandbox/checkout/{order['order_id']}"

    other = await payments.client.post(f"{path}/{action}", headers=OTHER)
    page = await payments.client.get(path, headers=OTHER)
    mentor = await payments.client.post(
        f"{path}/{action}", headers=auth_headers("mentor-1", "mentor")
    )

    assert other.status_code == page.status_code == mentor.status_code == 404
    assert other.json()["code"] == "ORDER_NOT_FOUND"
    assert await payments.snapshot() == before


async def test_the_orders_student_pays_with_their_bearer_token(payments):
    order = await sandbox_order(payments)

    paid = await payments.client.post(
        f"/v1/sandbox/checkout/{order['order_id']}/pay", headers=OWNER
    )

    assert paid.status_code == 200, paid.text
    await payments.wait_status(order["order_id"], "paid")


async def test_a_browser_opens_the_signed_link_and_its_forms_pay(payments):
    order = await sandbox_order(payments)
    token = link_token(order)
    path = urlsplit(order["redirect_url"]).path

    page = await payments.client.get(f"{path}?token={token}", headers=BROWSER)
    assert page.status_code == 200, page.text
    assert f'action="{order["order_id"]}/pay?token={token}"' in page.text
    paid = await payments.client.post(f"{path}/pay", params={"token": token}, headers=BROWSER)

    assert paid.status_code == 200, paid.text
    await payments.wait_status(order["order_id"], "paid")


async def test_a_link_of_another_order_or_a_forged_one_does_not_open_this_one(payments):
    order = await sandbox_order(payments)
    other = await sandbox_order(payments)
    path = f"/v1/sandbox/checkout/{order['order_id']}"
    expiry = link_token(order).split(".")[0]

    for token in (link_token(other), f"{expiry}.{'0' * 64}", "garbage"):
        response = await payments.client.post(f"{path}/pay", params={"token": token})
        assert response.status_code in (404, 422), (token, response.text)
    assert (await payments.order(order["order_id"]))["status"] == "pending"


async def test_an_expired_link_no_longer_opens_the_page(payments):
    order = await sandbox_order(payments)
    payments.clock.advance(timedelta(minutes=31))

    response = await payments.client.get(
        f"/v1/sandbox/checkout/{order['order_id']}", params={"token": link_token(order)}
    )

    assert response.status_code == 404
