"""PayPal amounts and the certificate-host rule, without a network."""

from datetime import UTC, datetime

import pytest

from payments.adapters.paypal import from_paypal_value, to_paypal_value
from payments.adapters.paypal_webhooks import PayPalVerifier
from payments.domain.errors import WebhookRejected


@pytest.mark.parametrize(
    ("minor", "currency", "text"),
    [(12345, "USD", "123.45"), (5, "EUR", "0.05"), (1200, "JPY", "1200")],
)
def test_amounts_cross_to_paypal_and_back(minor, currency, text):
    assert to_paypal_value(minor, currency) == text
    assert from_paypal_value(text, currency) == minor


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.test/cert.pem",
        "http://api.paypal.com/cert.pem",  # not https
        "https://api.paypal.com.evil.test/cert.pem",
        "https://user:pw@api.paypal.com/cert.pem",
        "file:///etc/passwd",
    ],
)
async def test_a_certificate_off_paypals_hosts_is_refused_before_any_fetch(url):
    verifier = PayPalVerifier(webhook_id="WH-1")

    with pytest.raises(WebhookRejected):
        await verifier._certificate(url, now=datetime.now(UTC))
    assert verifier.fetched == []
