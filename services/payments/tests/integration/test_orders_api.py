"""Orders as students and operators see them."""

from datetime import timedelta

from shared.testing.plugin import auth_headers

ADMIN = auth_headers("admin-1", "admin")
STUDENT = auth_headers("student-1", "student")
OTHER = auth_headers("student-2", "student")


async def test_a_student_sees_their_own_orders_and_no_one_elses(payments):
    product = await payments.product()
    mine = (await payments.checkout(product["product_id"])).json()
    theirs = (await payments.checkout(product["product_id"], who="student-2")).json()

    one = await payments.client.get(f"/v1/orders/{mine['order_id']}", headers=STUDENT)
    hidden = await payments.client.get(f"/v1/orders/{theirs['order_id']}", headers=STUDENT)
    as_admin = await payments.client.get(f"/v1/orders/{theirs['order_id']}", headers=ADMIN)
    listed = await payments.client.get("/v1/me/orders", headers=STUDENT)

    assert one.status_code == 200 and one.json()["status"] == "pending"
    assert (hidden.status_code, hidden.json()["code"]) == (404, "ORDER_NOT_FOUND")
    assert as_admin.status_code == 200
    assert [o["order_id"] for o in listed.json()["items"]] == [mine["order_id"]]
    assert listed.json()["total"] == 1


async def test_operators_filter_and_page_all_orders(payments, clock):
    product = await payments.product()
    other_mentor = await payments.product(headers=auth_headers("mentor-2", "mentor"))
    paid = await payments.paid_checkout(product["product_id"])
    clock.advance(timedelta(hours=1))
    for n in range(3):
        await payments.checkout(product["product_id"], who=f"student-{n + 3}")
    await payments.checkout(other_mentor["product_id"], provider="stripe")

    async def admin_list(**params):
        response = await payments.client.get("/v1/admin/orders", params=params, headers=ADMIN)
        assert response.status_code == 200, response.text
        return response.json()

    assert (await admin_list())["total"] == 5
    assert [o["order_id"] for o in (await admin_list(status="paid"))["items"]] == [paid["order_id"]]
    assert (await admin_list(provider="stripe"))["total"] == 1
    assert (await admin_list(mentor_id="mentor-2"))["total"] == 1
    window = {"created_to": (clock.now() - timedelta(minutes=30)).isoformat()}
    assert (await admin_list(**window))["total"] == 1
    page = await admin_list(limit=2, offset=2)
    assert (len(page["items"]), page["total"], page["limit"], page["offset"]) == (2, 5, 2, 2)
    bad = await payments.client.get("/v1/admin/orders", params={"status": "lost"}, headers=ADMIN)
    assert (bad.status_code, bad.json()["code"]) == (422, "VALIDATION_FAILED")
    student = await payments.client.get("/v1/admin/orders", headers=STUDENT)
    assert student.status_code == 403
