"""The sandbox checkout answers a browser with pages and a terminal or a script with JSON."""

from urllib.parse import urlsplit

from shared.testing.plugin import auth_headers

STUDENT = auth_headers("student-1", "student")
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


async def test_a_terminal_gets_the_checkout_and_the_pay_outcome_as_json(payments):
    product = await payments.product()
    order = (await payments.checkout(product["product_id"])).json()
    order_id = order["order_id"]

    page = await payments.client.get(f"/v1/sandbox/checkout/{order_id}", headers=STUDENT)
    paid = await payments.client.post(f"/v1/sandbox/checkout/{order_id}/pay", headers=STUDENT)

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("application/json")
    base = f"http://payments.test/v1/sandbox/checkout/{order_id}"
    assert page.json() == {
        "order_id": order_id,
        "title": product["title"],
        "amount": 40000,
        "currency": order["currency"],
        "status": "pending",
        "pay_url": f"{base}/pay",
        "cancel_url": f"{base}/cancel",
    }
    assert paid.status_code == 200
    assert paid.headers["content-type"].startswith("application/json")
    assert paid.json()["outcome"] == "paid" and paid.json()["webhook_status"] == 200
    assert paid.json()["order_url"].endswith(f"/v1/orders/{order_id}")
    await payments.wait_status(order_id, "paid")


async def test_a_browser_gets_the_pages_with_forms_that_work_behind_a_prefix(payments):
    product = await payments.product()
    order = (await payments.checkout(product["product_id"])).json()
    order_id, link = order["order_id"], urlsplit(order["redirect_url"])

    page = await payments.client.get(f"{link.path}?{link.query}", headers=BROWSER)
    canceled = await payments.client.post(
        f"/v1/sandbox/checkout/{order_id}/cancel?{link.query}", headers=BROWSER
    )

    assert page.headers["content-type"].startswith("text/html")
    assert f'action="{order_id}/pay?token=' in page.text  # relative to the page, wherever it is
    assert canceled.headers["content-type"].startswith("text/html")
    assert "Checkout canceled" in canceled.text
    await payments.wait_status(order_id, "expired")


async def test_the_openapi_says_both_answers(payments):
    schema = (await payments.client.get("/openapi.json")).json()
    pay = schema["paths"]["/v1/sandbox/checkout/{order_id}/pay"]["post"]["responses"]

    assert set(pay["200"]["content"]) == {"application/json", "text/html"}
    assert pay["200"]["content"]["application/json"]["schema"]["$ref"].endswith("SandboxOutcome")
    assert "502" in pay


async def test_a_refused_webhook_is_a_502_problem_for_a_terminal(payments, monkeypatch):
    from payments.adapters import sandbox

    product = await payments.product()
    order_id = (await payments.checkout(product["product_id"])).json()["order_id"]
    monkeypatch.setattr(sandbox, "sign", lambda body, *, secret: "t=1,v1=forged")

    paid = await payments.client.post(f"/v1/sandbox/checkout/{order_id}/pay", headers=STUDENT)

    assert paid.status_code == 502
    assert paid.headers["content-type"] == "application/problem+json"
    assert paid.json()["code"] == "SANDBOX_WEBHOOK_REFUSED"
    assert paid.json()["order_id"] == order_id and paid.json()["webhook_status"] == 400
    assert (await payments.order(order_id))["status"] == "pending"
