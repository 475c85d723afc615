"""A mentor's product catalog: what they and students see, and the events it announces."""

import asyncio
import uuid

import pytest

from shared.messaging.events import ProductUpdated
from shared.testing.plugin import auth_headers

MENTOR = auth_headers("mentor-1", "mentor")
OTHER_MENTOR = auth_headers("mentor-2", "mentor")
STUDENT = auth_headers("student-1", "student")
ADMIN = auth_headers("admin-1", "admin")


async def create(client, headers=MENTOR, **fields):
    body = {"title": "Four sessions", "price_amount": 40000, "currency": "usd", **fields}
    return await client.post("/v1/products", json=body, headers=headers)


async def test_a_mentor_creates_a_product_with_default_pack_shape_and_it_is_announced(
    payments, event_probe
):
    response = await create(payments.client)

    assert response.status_code == 201, response.text
    product = response.json()
    assert product["mentor_id"] == "mentor-1"
    assert product["currency"] == "USD"
    assert (product["sessions_count"], product["session_minutes"], product["validity_days"]) == (
        4,
        60,
        30,
    )
    assert product["active"] is True
    [announced] = await event_probe.wait_for(
        ProductUpdated, lambda e: str(e.product_id) == product["product_id"]
    )
    assert announced.producer == "payments"
    assert announced.payload().price_amount == 40000
    assert announced.payload().currency == "USD"


async def test_anyone_can_read_products_and_list_a_mentors_active_products(payments):
    first = (await create(payments.client, title="Starter")).json()
    await create(payments.client, headers=OTHER_MENTOR, title="Someone else's")
    withdrawn = (await create(payments.client, title="Old", active=False)).json()

    one = await payments.client.get(f"/v1/products/{first['product_id']}")
    listed = await payments.client.get("/v1/products", params={"mentor_id": "mentor-1"})
    inactive = await payments.client.get(
        "/v1/products", params={"mentor_id": "mentor-1", "active": "false"}
    )

    assert one.status_code == 200 and one.json()["title"] == "Starter"
    assert [p["title"] for p in listed.json()] == ["Starter"]
    assert [p["product_id"] for p in inactive.json()] == [withdrawn["product_id"]]


async def test_a_mentor_changes_their_product_and_the_change_is_announced(payments, event_probe):
    product = (await create(payments.client)).json()

    response = await payments.client.patch(
        f"/v1/products/{product['product_id']}",
        json={"price_amount": 45000, "active": False},
        headers=MENTOR,
    )

    assert response.status_code == 200, response.text
    assert response.json()["price_amount"] == 45000
    assert response.json()["active"] is False
    announced = await event_probe.wait_for(
        ProductUpdated, lambda e: str(e.product_id) == product["product_id"], count=2
    )
    assert (announced[1].payload().price_amount, announced[1].payload().active) == (45000, False)


async def test_a_change_that_changes_nothing_announces_nothing(payments, event_probe):
    product = (await create(payments.client)).json()
    await event_probe.wait_for(ProductUpdated)

    response = await payments.client.patch(
        f"/v1/products/{product['product_id']}", json={"price_amount": 40000}, headers=MENTOR
    )

    assert response.status_code == 200
    await asyncio.sleep(0.7)
    assert len(event_probe.of_type(ProductUpdated)) == 1


async def test_a_mentor_cannot_change_another_mentors_product(payments):
    product = (await create(payments.client)).json()

    response = await payments.client.patch(
        f"/v1/products/{product['product_id']}", json={"price_amount": 1}, headers=OTHER_MENTOR
    )

    assert response.status_code == 403
    assert response.json()["code"] == "NOT_YOUR_PRODUCT"
    unchanged = await payments.client.get(f"/v1/products/{product['product_id']}")
    assert unchanged.json()["price_amount"] == 40000


async def test_an_admin_can_change_any_product(payments):
    product = (await create(payments.client)).json()

    response = await payments.client.patch(
        f"/v1/products/{product['product_id']}", json={"title": "Renamed"}, headers=ADMIN
    )

    assert response.status_code == 200
    assert response.json()["title"] == "Renamed"


async def test_bad_product_input_is_a_422_problem(payments):
    for fields in (
        {"price_amount": 0},
        {"price_amount": -5},
        {"currency": "EURO"},
        {"currency": "e1"},
        {"title": "   "},
        {"sessions_count": 0},
        {"validity_days": 0},
    ):
        response = await create(payments.client, **fields)
        assert response.status_code == 422, fields
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "VALIDATION_FAILED"


@pytest.mark.parametrize("code", ["ABC", "abc", "XXX", "XTS"])
async def test_a_currency_outside_iso_4217_is_a_422_problem_on_create_and_update(payments, code):
    response = await create(payments.client, currency=code)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "VALIDATION_FAILED"
    assert response.json()["errors"][0]["type"] == "currency_not_iso4217"
    product = (await create(payments.client)).json()

    response = await payments.client.patch(
        f"/v1/products/{product['product_id']}", json={"currency": code}, headers=MENTOR
    )

    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["type"] == "currency_not_iso4217"
    assert (await create(payments.client, currency="jpy")).json()["currency"] == "JPY"


async def test_a_product_field_cannot_be_set_to_null(payments):
    product = (await create(payments.client)).json()

    response = await payments.client.patch(
        f"/v1/products/{product['product_id']}", json={"price_amount": None}, headers=MENTOR
    )

    assert response.status_code == 422
    assert response.json()["code"] == "VALIDATION_FAILED"
    assert response.json()["errors"][0]["type"] == "null_not_allowed"
    schema = (await payments.client.get("/openapi.json")).json()["components"]["schemas"]
    assert schema["ProductUpdate"]["properties"]["price_amount"]["type"] == "integer"


async def test_an_unknown_product_is_a_404_problem(payments):
    missing = uuid.uuid4()

    read = await payments.client.get(f"/v1/products/{missing}")
    change = await payments.client.patch(
        f"/v1/products/{missing}", json={"title": "x"}, headers=MENTOR
    )

    assert read.status_code == change.status_code == 404
    assert read.json()["code"] == change.json()["code"] == "PRODUCT_NOT_FOUND"


async def test_creating_a_product_needs_a_mentor_token(payments):
    anonymous = await create(payments.client, headers={})
    student = await create(payments.client, headers=STUDENT)
    forged = await create(payments.client, headers={"Authorization": "Bearer not-a-jwt"})

    assert anonymous.status_code == forged.status_code == 401
    assert anonymous.json()["code"] == "UNAUTHORIZED"
    assert student.status_code == 403
    assert student.json()["code"] == "FORBIDDEN"


async def test_announcements_and_the_snapshot_carry_the_mentors_lowest_active_price(
    payments, event_probe
):
    from shared.messaging.snapshots import fetch_snapshot

    dear = await create(payments.client, title="Dear", price_amount=50000)
    cheap = await create(payments.client, title="Cheap", price_amount=30000)
    await create(payments.client, title="Cheaper but withdrawn", price_amount=100, active=False)
    assert dear.status_code == cheap.status_code == 201

    announced = await event_probe.wait_for(ProductUpdated, count=3)
    lowest = [(e.payload().mentor_lowest_price_amount) for e in announced]
    assert lowest == [50000, 30000, 30000]
    pages = [
        page async for page in fetch_snapshot(payments.runtime.bus.requester, aggregate="product")
    ]
    facts = [envelope.payload() for page in pages for envelope in page]
    assert {
        (f.title, f.mentor_lowest_price_amount, f.mentor_lowest_price_currency) for f in facts
    } == {
        ("Dear", 30000, "USD"),
        ("Cheap", 30000, "USD"),
        ("Cheaper but withdrawn", 30000, "USD"),
    }
