"""Promo codes and grandfathered prices: what the order records, and redemptions under load."""

import asyncio
from datetime import timedelta

from shared.messaging.events import PaymentFailed
from shared.testing.plugin import auth_headers

ADMIN = auth_headers("admin-1", "admin")


async def add_code(payments, **fields):
    body = {"code": "SPRING", "kind": "percent", "percent_off": 25, **fields}
    return await payments.client.post("/v1/admin/promo-codes", json=body, headers=ADMIN)


async def redeemed(payments, code: str = "SPRING") -> int:
    return await payments.count("SELECT redeemed FROM promo_codes WHERE code = :c", c=code)


async def test_a_percent_code_is_recorded_on_the_order(payments):
    product = await payments.product(price_amount=40000)
    assert (await add_code(payments)).status_code == 201

    order = (await payments.checkout(product["product_id"], promo_code="spring")).json()

    assert (order["original_amount"], order["discount_amount"], order["final_amount"]) == (
        40000,
        10000,
        30000,
    )
    assert order["promo_code"] == "SPRING"
    assert await redeemed(payments) == 1


async def test_a_fixed_code_in_another_currency_is_refused(payments):
    product = await payments.product(price_amount=40000, currency="usd")
    await add_code(payments, kind="fixed", percent_off=None, amount_off=5000, currency="eur")
    before = await payments.snapshot()

    response = await payments.checkout(product["product_id"], promo_code="SPRING")

    assert (response.status_code, response.json()["code"]) == (422, "CURRENCY_MISMATCH")
    assert await payments.snapshot() == before


async def test_an_expired_or_out_of_scope_code_is_refused_and_nothing_is_stored(payments, clock):
    product = await payments.product()
    other_mentor = await payments.product(headers=auth_headers("mentor-2", "mentor"))
    await add_code(payments, expires_at=(clock.now() + timedelta(days=1)).isoformat())
    await add_code(payments, code="ONLYTHAT", product_id=other_mentor["product_id"])
    await add_code(payments, code="MENTOR2", mentor_id="mentor-2")
    clock.advance(timedelta(days=2))
    before = await payments.snapshot()

    expired = await payments.checkout(product["product_id"], promo_code="SPRING")
    wrong_product = await payments.checkout(product["product_id"], promo_code="ONLYTHAT")
    wrong_mentor = await payments.checkout(product["product_id"], promo_code="MENTOR2")

    assert (expired.status_code, expired.json()["code"]) == (422, "PROMO_EXPIRED")
    assert wrong_product.json()["code"] == wrong_mentor.json()["code"] == "PROMO_NOT_APPLICABLE"
    assert await payments.snapshot() == before


async def test_bad_promo_codes_are_refused_when_created(payments, clock):
    cases = [
        {"percent_off": 0},
        {"percent_off": 101},
        {"kind": "fixed", "percent_off": None, "amount_off": -5, "currency": "usd"},
        {"kind": "fixed", "percent_off": None, "amount_off": 500},
        {"max_redemptions": 0},
        {"code": "has space"},
        {"kind": "percent", "percent_off": 10, "currency": "usd"},
    ]
    for fields in cases:
        response = await add_code(payments, **fields)
        assert response.status_code == 422, fields
    # Well formed, but already over: the state of the clock refuses it, not the schema.
    past = await add_code(payments, expires_at=(clock.now() - timedelta(days=1)).isoformat())
    assert (past.status_code, past.json()["code"]) == (409, "PROMO_EXPIRY_PASSED")
    assert (await add_code(payments)).status_code == 201
    assert (await add_code(payments)).json()["code"] == "PROMO_EXISTS"


async def test_twenty_concurrent_checkouts_for_the_last_redemption_give_it_to_exactly_one(
    payments, packs_stand_in
):
    product = await payments.product()
    await add_code(payments, max_redemptions=1)

    answers = await asyncio.gather(
        *(
            payments.checkout(product["product_id"], who=f"student-{n}", promo_code="SPRING")
            for n in range(20)
        )
    )

    assert sorted(a.status_code for a in answers) == [201] + [409] * 19
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"PROMO_EXHAUSTED"}
    assert await redeemed(payments) == 1
    assert await payments.count("SELECT count(*) FROM orders") == 1


async def test_a_checkout_never_paid_expires_frees_its_hold_and_returns_its_redemption(
    payments, clock
):
    product = await payments.product()
    await add_code(payments, max_redemptions=1)
    order = (await payments.checkout(product["product_id"], promo_code="SPRING")).json()
    assert await redeemed(payments) == 1

    clock.advance(timedelta(minutes=31))
    assert await payments.runtime.jobs.run_now("expire-pending-orders") == 1
    assert await payments.runtime.jobs.run_now("expire-pending-orders") == 0

    assert (await payments.order(order["order_id"]))["status"] == "expired"
    [failed] = await payments.recorded(PaymentFailed)
    assert str(failed.order_id) == order["order_id"]
    assert await redeemed(payments) == 0
    again = await payments.checkout(product["product_id"], who="student-2", promo_code="SPRING")
    assert again.status_code == 201


async def test_a_canceled_sandbox_checkout_expires_and_returns_its_redemption(payments):
    product = await payments.product()
    await add_code(payments)
    order = (await payments.checkout(product["product_id"], promo_code="SPRING")).json()

    canceled = await payments.client.post(
        f"/v1/sandbox/checkout/{order['order_id']}/cancel",
        headers=auth_headers("student-1", "student"),
    )

    assert canceled.status_code == 200
    await payments.wait_status(order["order_id"], "expired")
    await payments.settled()
    assert await redeemed(payments) == 0
    assert len(await payments.recorded(PaymentFailed)) == 1


async def test_a_returning_student_keeps_the_grandfathered_price(payments):
    product = await payments.product(price_amount=40000, grandfathered=True)
    await payments.paid_checkout(product["product_id"])
    raised = await payments.client.patch(
        f"/v1/products/{product['product_id']}",
        json={"price_amount": 50000},
        headers=auth_headers("mentor-1", "mentor"),
    )
    assert raised.status_code == 200

    renewal = (await payments.checkout(product["product_id"])).json()
    newcomer = (await payments.checkout(product["product_id"], who="student-2")).json()

    assert renewal["original_amount"] == 40000
    assert newcomer["original_amount"] == 50000


async def test_after_a_price_cut_a_returning_student_pays_no_more_than_a_newcomer(payments):
    product = await payments.product(price_amount=40000, grandfathered=True)
    await payments.paid_checkout(product["product_id"])
    cut = await payments.client.patch(
        f"/v1/products/{product['product_id']}",
        json={"price_amount": 25000},
        headers=auth_headers("mentor-1", "mentor"),
    )
    assert cut.status_code == 200

    renewal = (await payments.checkout(product["product_id"])).json()
    newcomer = (await payments.checkout(product["product_id"], who="student-2")).json()

    assert renewal["original_amount"] == newcomer["original_amount"] == 25000
