"""PayPal Orders v2 at its HTTP boundary, and webhooks verified with a certificate we make."""

import base64
import json
import uuid
import zlib
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from payments.adapters.paypal import PayPalOrders
from payments.domain.model import Provider
from shared.messaging.events import PaymentRefunded, PaymentSucceeded
from shared.testing.fake_http import JsonHandler, serve_in_thread
from shared.testing.plugin import auth_headers

WEBHOOK_ID = "WH-TEST-0001"
STUDENT = auth_headers("student-1", "student")


class FakePayPal:
    """Loopback PayPal: OAuth, orders, capture, refunds, and the signing certificate."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict, dict]] = []
        self.capture_status = "COMPLETED"
        self.captured = "123.45"  # the amount a capture reports (USD)
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        now = datetime.now(UTC)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "messageverificationcerts")])
        self.cert_pem = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=30))
            .sign(self.key, hashes.SHA256())
            .public_bytes(serialization.Encoding.PEM)
        )
        fake = self

        class Handler(JsonHandler):
            def do_GET(self) -> None:
                fake.requests.append((f"GET {self.path}", {}, {}))
                self.send_bytes(200, fake.cert_pem, "application/x-pem-file")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                body = json.loads(raw) if headers.get("content-type") == "application/json" else {}
                fake.requests.append((f"POST {self.path}", headers, body))
                self.send_bytes(200, json.dumps(fake.answer(self.path, body)).encode())

        self._server = serve_in_thread(Handler)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def answer(self, path: str, body: dict) -> dict:
        if path == "/v1/oauth2/token":
            return {"access_token": "A21-token", "token_type": "Bearer", "expires_in": 32400}
        if path == "/v2/checkout/orders":
            return {
                "id": "PAYPAL-ORDER-1",
                "status": "CREATED",
                "links": [
                    {"rel": "payer-action", "href": "https://paypal.test/checkoutnow?token=1"}
                ],
            }
        if path.endswith("/capture"):
            return {
                "id": path.split("/")[-2],
                "status": self.capture_status,
                "purchase_units": [
                    {
                        "payments": {
                            "captures": [
                                {
                                    "id": "CAPTURE-1",
                                    "status": self.capture_status,
                                    "amount": {"currency_code": "USD", "value": self.captured},
                                }
                            ]
                        }
                    }
                ],
            }
        if path.endswith("/refund"):
            return {"id": f"REFUND-{len(self.requests)}", "status": "COMPLETED"}
        return {}

    def of(self, prefix: str) -> list[tuple[str, dict, dict]]:
        return [r for r in self.requests if r[0].startswith(prefix)]

    def sign(
        self, body: bytes, *, cert_url: str, webhook_id: str = WEBHOOK_ID, key=None, at=None
    ) -> dict:
        """The transmission headers PayPal sends with a webhook."""
        transmission_id, at = str(uuid.uuid4()), (at or datetime.now(UTC)).isoformat()
        message = f"{transmission_id}|{at}|{webhook_id}|{zlib.crc32(body)}".encode()
        signature = (key or self.key).sign(message, padding.PKCS1v15(), hashes.SHA256())
        return {
            "PAYPAL-TRANSMISSION-ID": transmission_id,
            "PAYPAL-TRANSMISSION-TIME": at,
            "PAYPAL-TRANSMISSION-SIG": base64.b64encode(signature).decode(),
            "PAYPAL-CERT-URL": cert_url,
            "PAYPAL-AUTH-ALGO": "SHA256withRSA",
            "Content-Type": "application/json",
        }

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def fake_paypal():
    server = FakePayPal()
    yield server
    server.stop()


@pytest.fixture
async def paypal_payments(start_payments, fake_paypal):
    orders = PayPalOrders(
        api_base=fake_paypal.url,
        client_id="client-id",
        client_secret="client-secret",
        return_url="https://app.test/checkout/{order_id}/done",
        cancel_url="https://app.test/checkout/{order_id}/cancel",
    )
    driver = await start_payments(
        providers={Provider.paypal: orders},
        paypal_webhook_id=WEBHOOK_ID,
        paypal_cert_origins=(fake_paypal.url,),
    )
    yield driver
    await orders.close()


def capture_event(order_id: str, kind: str = "PAYMENT.CAPTURE.COMPLETED", **resource) -> bytes:
    """A capture event for a 123.45 USD order (what `paypal_order` creates)."""
    resource.setdefault("amount", {"currency_code": "USD", "value": "123.45"})
    event = {
        "id": f"WH-{uuid.uuid4().hex}",
        "event_type": kind,
        "resource_type": "capture",
        "resource": {"id": "CAPTURE-1", "custom_id": order_id, "status": "COMPLETED", **resource},
    }
    return json.dumps(event).encode()


async def paypal_order(payments) -> dict:
    product = await payments.product(price_amount=12345, currency="usd")
    response = await payments.checkout(product["product_id"], provider="paypal")
    assert response.status_code == 201, response.text
    return response.json()


async def post_paypal(payments, body: bytes, headers: dict):
    return await payments.client.post("/v1/webhooks/paypal", content=body, headers=headers)


async def test_a_paypal_checkout_creates_an_order_to_capture_with_the_order_id(
    paypal_payments, fake_paypal
):
    order = await paypal_order(paypal_payments)

    [token] = fake_paypal.of("POST /v1/oauth2/token")
    assert (
        token[1]["authorization"]
        == "Basic " + base64.b64encode(b"client-id:client-secret").decode()
    )
    [(_, headers, body)] = fake_paypal.of("POST /v2/checkout/orders")
    assert headers["authorization"] == "Bearer A21-token"
    assert headers["paypal-request-id"] == f"order-{order['order_id']}"
    assert body["intent"] == "CAPTURE"
    [unit] = body["purchase_units"]
    assert unit["custom_id"] == unit["reference_id"] == order["order_id"]
    assert unit["amount"] == {"currency_code": "USD", "value": "123.45"}
    assert order["redirect_url"] == "https://paypal.test/checkoutnow?token=1"


async def test_capturing_an_approved_order_pays_it_once(paypal_payments, fake_paypal):
    order = await paypal_order(paypal_payments)
    path = f"/v1/checkout/paypal/{order['order_id']}/capture"

    first = await paypal_payments.client.post(path, headers=STUDENT)
    again = await paypal_payments.client.post(path, headers=STUDENT)

    assert first.status_code == again.status_code == 200, first.text
    assert first.json()["status"] == "paid"
    [(_, headers, _)] = fake_paypal.of("POST /v2/checkout/orders/PAYPAL-ORDER-1/capture")
    assert headers["paypal-request-id"] == f"capture-{order['order_id']}"
    [succeeded] = await paypal_payments.recorded(PaymentSucceeded)
    assert (succeeded.amount, succeeded.provider) == (12345, "paypal")
    other = await paypal_payments.client.post(path, headers=auth_headers("student-2", "student"))
    assert (other.status_code, other.json()["code"]) == (404, "ORDER_NOT_FOUND")


async def test_a_verified_capture_webhook_pays_the_order_and_the_cert_is_fetched_once(
    paypal_payments, fake_paypal
):
    order = await paypal_order(paypal_payments)
    cert_url = f"{fake_paypal.url}/v1/notifications/certs/CERT-1"

    for _ in range(3):
        body = capture_event(order["order_id"])
        response = await post_paypal(
            paypal_payments, body, fake_paypal.sign(body, cert_url=cert_url)
        )
        assert response.status_code == 200, response.text

    await paypal_payments.wait_status(order["order_id"], "paid")
    await paypal_payments.settled()
    assert len(await paypal_payments.recorded(PaymentSucceeded)) == 1
    assert len(fake_paypal.of("GET /v1/notifications/certs/CERT-1")) == 1


async def test_forged_paypal_webhooks_are_400_and_a_foreign_cert_url_is_never_fetched(
    paypal_payments, fake_paypal
):
    order = await paypal_order(paypal_payments)
    cert_url = f"{fake_paypal.url}/v1/notifications/certs/CERT-1"
    body = capture_event(order["order_id"])
    good = fake_paypal.sign(body, cert_url=cert_url)
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    before = await paypal_payments.snapshot()
    variants = {
        "foreign cert host": (body, {**good, "PAYPAL-CERT-URL": "https://evil.test/cert.pem"}),
        "paypal lookalike": (
            body,
            {**good, "PAYPAL-CERT-URL": "https://api.paypal.com.evil.test/cert.pem"},
        ),
        "body changed": (body.replace(b"COMPLETED", b"DECLINED!"), good),
        "other webhook id": (body, fake_paypal.sign(body, cert_url=cert_url, webhook_id="WH-X")),
        "other key": (body, fake_paypal.sign(body, cert_url=cert_url, key=other_key)),
        "no signature": (body, {k: v for k, v in good.items() if k != "PAYPAL-TRANSMISSION-SIG"}),
        "signature not base64": (body, {**good, "PAYPAL-TRANSMISSION-SIG": "***"}),
        "dated an hour ahead": (
            body,
            fake_paypal.sign(body, cert_url=cert_url, at=datetime.now(UTC) + timedelta(hours=1)),
        ),
        "dated a year ahead": (
            body,
            fake_paypal.sign(body, cert_url=cert_url, at=datetime.now(UTC) + timedelta(days=365)),
        ),
        "time not a date": (body, {**good, "PAYPAL-TRANSMISSION-TIME": "soon"}),
    }

    for name, (variant, headers) in variants.items():
        response = await post_paypal(paypal_payments, variant, headers)
        assert response.status_code == 400, name
        assert response.json()["code"] == "WEBHOOK_REJECTED", name

    assert [r[0] for r in fake_paypal.of("GET")] == ["GET /v1/notifications/certs/CERT-1"]
    assert await paypal_payments.snapshot() == before


async def test_a_denied_capture_fails_the_order_and_a_refund_at_paypal_is_counted_once(
    paypal_payments, fake_paypal
):
    denied = await paypal_order(paypal_payments)
    cert_url = f"{fake_paypal.url}/v1/notifications/certs/CERT-1"
    body = capture_event(denied["order_id"], "PAYMENT.CAPTURE.DENIED")
    await post_paypal(paypal_payments, body, fake_paypal.sign(body, cert_url=cert_url))
    await paypal_payments.wait_status(denied["order_id"], "failed")

    paid = await paypal_order(paypal_payments)
    await paypal_payments.client.post(
        f"/v1/checkout/paypal/{paid['order_id']}/capture", headers=STUDENT
    )
    for _ in range(2):
        refund = json.dumps(
            {
                "id": "WH-REFUND-1",
                "event_type": "PAYMENT.CAPTURE.REFUNDED",
                "resource": {
                    "id": "PAYPAL-REFUND-9",
                    "custom_id": paid["order_id"],
                    "amount": {"value": "23.45", "currency_code": "USD"},
                },
            }
        ).encode()
        await post_paypal(paypal_payments, refund, fake_paypal.sign(refund, cert_url=cert_url))
    await paypal_payments.settled()

    final = await paypal_payments.order(paid["order_id"])
    assert (final["status"], final["refunded_amount"]) == ("partially_refunded", 2345)
    [refunded] = await paypal_payments.recorded(PaymentRefunded)
    assert (refunded.amount, refunded.full) == (2345, False)


async def test_an_admin_refund_goes_to_the_capture_with_a_request_id(paypal_payments, fake_paypal):
    order = await paypal_order(paypal_payments)
    await paypal_payments.client.post(
        f"/v1/checkout/paypal/{order['order_id']}/capture", headers=STUDENT
    )

    response = await paypal_payments.client.post(
        f"/v1/orders/{order['order_id']}/refunds",
        json={"amount": 2345},
        headers=auth_headers("admin-1", "admin"),
    )

    assert response.status_code == 201, response.text
    [(_, headers, body)] = fake_paypal.of("POST /v2/payments/captures/CAPTURE-1/refund")
    [refund] = response.json()
    assert headers["paypal-request-id"] == f"refund-{refund['refund_id']}"
    assert body["amount"] == {"currency_code": "USD", "value": "23.45"}
    assert body["invoice_id"] == refund["refund_id"]


@pytest.mark.parametrize(
    "amount",
    [
        {"currency_code": "USD", "value": "0.01"},
        {"currency_code": "EUR", "value": "123.45"},
        {"currency_code": "USD", "value": "not a number"},
        None,
    ],
)
async def test_a_capture_webhook_that_disagrees_with_its_order_never_fulfils(
    paypal_payments, fake_paypal, amount
):
    order = await paypal_order(paypal_payments)
    cert_url = f"{fake_paypal.url}/v1/notifications/certs/CERT-1"
    body = capture_event(order["order_id"], amount=amount)

    response = await post_paypal(paypal_payments, body, fake_paypal.sign(body, cert_url=cert_url))
    await paypal_payments.settled()

    assert response.status_code == 200
    assert (await paypal_payments.order(order["order_id"]))["status"] == "pending"
    assert await paypal_payments.recorded(PaymentSucceeded) == []
    [mismatch] = (
        await paypal_payments.client.get(
            "/v1/payment-mismatches", headers=auth_headers("admin-1", "admin")
        )
    ).json()
    assert (mismatch["order_id"], mismatch["provider"]) == (order["order_id"], "paypal")
    assert mismatch["expected_amount"] == 12345


async def test_a_capture_that_reports_another_amount_does_not_pay_the_order(
    paypal_payments, fake_paypal
):
    order = await paypal_order(paypal_payments)
    fake_paypal.captured = "1.00"

    response = await paypal_payments.client.post(
        f"/v1/checkout/paypal/{order['order_id']}/capture", headers=STUDENT
    )

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "pending"
    assert await paypal_payments.recorded(PaymentSucceeded) == []
    [mismatch] = (
        await paypal_payments.client.get(
            "/v1/payment-mismatches", headers=auth_headers("admin-1", "admin")
        )
    ).json()
    assert (mismatch["reported_amount"], mismatch["event_id"]) == (100, "capture:CAPTURE-1")


@pytest.mark.parametrize(
    ("resource", "outcome"),
    [
        ("not an object", "dead: resource is not an object"),
        ({"id": "REFUND-\u0000", "custom_id": "x"}, "dead: resource.id is not a provider id"),
        ({"id": "REFUND-2", "links": 5}, "no such order"),
    ],
)
async def test_a_signed_paypal_event_of_the_wrong_shape_ends_once(
    paypal_payments, fake_paypal, resource, outcome
):
    cert_url = f"{fake_paypal.url}/v1/notifications/certs/CERT-1"
    body = json.dumps(
        {
            "id": f"WH-{uuid.uuid4().hex}",
            "event_type": "PAYMENT.CAPTURE.REFUNDED",
            "resource": resource,
        }  # fmt: skip
    ).encode()

    response = await post_paypal(paypal_payments, body, fake_paypal.sign(body, cert_url=cert_url))
    await paypal_payments.settled()

    assert response.status_code == 200, response.text
    assert await paypal_payments.count("SELECT outcome FROM webhook_events") == outcome
