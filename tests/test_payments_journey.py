"""The sandbox purchase across services: checkout → Pay → packs shows an active pack and seat.

Payments and packs run side by side in one namespace on real NATS JetStream and Postgres,
as separate apps with their own databases; the Pay button posts a signed Stripe-format event
to payments' real webhook, and the seat hold, fulfilment and pack go over the real bus.
"""

from packs.config import Settings as PacksSettings
from packs.main import ALEMBIC_INI as PACKS_ALEMBIC_INI
from packs.main import create_app as create_packs
from payments.config import Settings as PaymentsSettings
from payments.main import ALEMBIC_INI as PAYMENTS_ALEMBIC_INI
from payments.main import create_app as create_payments
from shared.messaging.events import PackPurchased, PaymentSucceeded
from shared.testing.helpers import eventually
from shared.testing.plugin import auth_headers

MENTOR = auth_headers("mentor-7", "mentor")
STUDENT = auth_headers("student-7", "student")


async def test_a_sandbox_purchase_gives_the_student_an_active_pack_and_seat(
    event_probe, start_service
):
    packs = await start_service(create_packs, PacksSettings, PACKS_ALEMBIC_INI)
    payments = await start_service(create_payments, PaymentsSettings, PAYMENTS_ALEMBIC_INI)
    product = await payments.client.post(
        "/v1/products",
        json={"title": "Four sessions", "price_amount": 32000, "currency": "EUR"},
        headers=MENTOR,
    )
    assert product.status_code == 201, product.text

    checkout = await payments.client.post(
        "/v1/checkout",
        json={"product_id": product.json()["product_id"], "provider": "sandbox"},
        headers={**STUDENT, "Idempotency-Key": "journey-1"},
    )
    assert checkout.status_code == 201, checkout.text
    order = checkout.json()
    seats = await packs.client.get("/v1/mentors/mentor-7/seats", headers=MENTOR)
    assert [s["status"] for s in seats.json()["seats"]] == ["held"]

    # The link is the public one (through the gateway); this test calls the service itself.
    gateway_prefix = "http://127.0.0.1:8100/api/payments/"
    assert order["redirect_url"].startswith(gateway_prefix + "v1/sandbox/checkout/")
    page_path = order["redirect_url"].removeprefix(gateway_prefix)
    page = await payments.client.get(f"/{page_path}", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "Pay" in page.text and "Cancel" in page.text
    path, link = page_path.split("?", 1)  # the signed link opens the page and pays
    paid = await payments.client.post(f"/{path}/pay?{link}")
    assert paid.status_code == 200, paid.text

    async def active_pack():
        mine = (await packs.client.get("/v1/me/packs", headers=STUDENT)).json()
        return mine if mine and mine[0]["status"] == "active" else None

    [pack] = await eventually(active_pack, within=15.0)
    assert (pack["mentor_id"], pack["remaining"], pack["seat_status"]) == ("mentor-7", 4, "active")
    seats = await packs.client.get("/v1/mentors/mentor-7/seats", headers=MENTOR)
    assert [s["status"] for s in seats.json()["seats"]] == ["active"]
    [purchased] = await event_probe.wait_for(PackPurchased)
    assert str(purchased.payload().order_id) == order["order_id"]
    [succeeded] = event_probe.of_type(PaymentSucceeded)
    assert succeeded.payload().amount == 32000
    mine = await payments.client.get(f"/v1/orders/{order['order_id']}", headers=STUDENT)
    assert mine.json()["status"] == "paid"


async def test_a_canceled_sandbox_checkout_frees_the_seat_it_held(event_probe, start_service):
    packs = await start_service(create_packs, PacksSettings, PACKS_ALEMBIC_INI)
    payments = await start_service(create_payments, PaymentsSettings, PAYMENTS_ALEMBIC_INI)
    product = await payments.client.post(
        "/v1/products",
        json={"title": "Four sessions", "price_amount": 32000, "currency": "EUR"},
        headers=MENTOR,
    )
    checkout = await payments.client.post(
        "/v1/checkout",
        json={"product_id": product.json()["product_id"], "provider": "sandbox"},
        headers={**STUDENT, "Idempotency-Key": "journey-2"},
    )
    order = checkout.json()

    async def seats() -> list[str]:
        answer = await packs.client.get("/v1/mentors/mentor-7/seats", headers=MENTOR)
        return [s["status"] for s in answer.json()["seats"]]

    assert await seats() == ["held"]
    canceled = await payments.client.post(
        f"/v1/sandbox/checkout/{order['order_id']}/cancel", headers=STUDENT
    )
    assert canceled.status_code == 200

    async def freed() -> bool:
        return await seats() == []

    await eventually(freed, within=15.0)
    mine = await payments.client.get(f"/v1/orders/{order['order_id']}", headers=STUDENT)
    assert mine.json()["status"] == "expired"
