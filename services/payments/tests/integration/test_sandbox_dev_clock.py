"""With the dev clock moved, the sandbox still pays: its webhook is signed on real time."""

from datetime import UTC, datetime, timedelta

import pytest

from shared.testing.plugin import auth_headers

STUDENT = auth_headers("student-1", "student")
ADMIN = auth_headers("ops", "admin")


@pytest.fixture
def clock() -> None:
    """No test clock: payments runs on the dev clock, as under `make dev`."""
    return None


async def test_the_sandbox_pays_71_hours_ahead_and_the_order_lives_in_the_suites_time(payments):
    moved = await payments.client.put("/v1/admin/clock", json={"advance": "71h"}, headers=ADMIN)
    assert moved.status_code == 200, moved.text
    product = await payments.product()
    order = (await payments.checkout(product["product_id"])).json()
    ahead = datetime.now(UTC) + timedelta(hours=71)
    assert abs(datetime.fromisoformat(order["expires_at"]) - ahead) < timedelta(minutes=31)
    paid = await payments.client.post(
        f"/v1/sandbox/checkout/{order['order_id']}/pay", headers=STUDENT
    )
    assert paid.status_code == 200, paid.text
    assert paid.json()["outcome"] == "paid" and paid.json()["webhook_status"] == 200
    await payments.wait_status(order["order_id"], "paid")
