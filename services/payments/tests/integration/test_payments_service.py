"""Payments runs as a service: health, readiness, metrics, docs, schema, secrets."""

import uuid

import pytest
from pydantic import ValidationError

from payments.adapters.tables import metadata
from payments.bootstrap import providers_of
from payments.config import Settings
from payments.domain.model import Provider
from payments.main import ALEMBIC_INI, create_app
from shared.testing.service_checks import (
    assert_alive_ready_measured_and_documented,
    assert_migrations_match_tables,
)


async def test_payments_is_alive_ready_measured_and_documented(payments):
    await assert_alive_ready_measured_and_documented(
        payments.service,
        paths=[
            "/v1/products",
            "/v1/checkout",
            "/v1/checkout/paypal/{order_id}/capture",
            "/v1/orders/{order_id}",
            "/v1/me/orders",
            "/v1/admin/orders",
            "/v1/orders/{order_id}/refunds",
            "/v1/admin/promo-codes",
            "/v1/webhooks/stripe",
            "/v1/webhooks/paypal",
            "/v1/sandbox/checkout/{order_id}",
            "/v1/refund-requests",
        ],
        subjects=[
            "pack.purchase_rejected",
            "pack.purchased",
            "session.booked",
            "session.completed",
            "session.no_show",
            "session.canceled",
        ],
    )


async def test_the_migrations_create_exactly_the_tables_the_code_uses(payments):
    await assert_migrations_match_tables(payments.service, metadata)


@pytest.mark.parametrize(
    "field", ["stripe_api_key", "stripe_webhook_secret", "paypal_client_id", "paypal_client_secret"]
)
def test_provider_secrets_must_be_real_outside_dev_mode(field):
    real = {
        "stripe_api_key": "sk_live_a1b2c3",
        "stripe_webhook_secret": "whsec_a1b2c3",
        "paypal_client_id": "AbC123",
        "paypal_client_secret": "EfG456",
    }
    with pytest.raises(ValidationError, match=f"PAYMENTS_{field.upper()}"):
        Settings(dev_mode=False, jwt_public_key="pem", **{**real, field: "change-me"})
    assert Settings(dev_mode=False, jwt_public_key="pem", **real).stripe_api_key
    assert Settings(dev_mode=True).stripe_api_key.get_secret_value() == ""


async def test_the_sandbox_is_refused_outside_dev_mode(start_service, domain_stream):
    def production_settings(**fields) -> Settings:
        # The harness runs in dev mode; this copy turns it off after validation.
        return Settings(**fields).model_copy(update={"dev_mode": False})

    service = await start_service(create_app, production_settings, ALEMBIC_INI)
    page = await service.client.get(f"/v1/sandbox/checkout/{uuid.uuid4()}")
    pay = await service.client.post(f"/v1/sandbox/checkout/{uuid.uuid4()}/pay")

    assert page.status_code == pay.status_code == 404
    settings = service.app.state.deps.settings
    assert Provider.sandbox not in providers_of(settings)
    assert settings.webhook_secret == ""  # no sandbox secret to sign with
