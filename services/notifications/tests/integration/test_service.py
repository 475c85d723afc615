"""Notifications runs as a service: health, readiness, metrics, docs, schema, secrets."""

import pytest
from pydantic import ValidationError

from notifications.adapters.tables import metadata
from notifications.config import Settings
from shared.testing.helpers import schema_differences


async def test_notifications_is_alive_ready_measured_and_documented(notifications):
    ready = await notifications.client.get("/readyz")
    assert (await notifications.client.get("/healthz")).status_code == 200
    assert ready.status_code == 200
    assert set(ready.json()["checks"].values()) == {"ok"}
    assert (await notifications.client.get("/metrics")).status_code == 200
    paths = (await notifications.client.get("/openapi.json")).json()["paths"]
    assert {"/v1/contacts/me", "/v1/deliveries"} <= set(paths)


async def test_the_migrations_create_exactly_the_tables_the_code_uses(notifications):
    assert await schema_differences(notifications.service.database_url, metadata) == []


def test_smtp_defaults_point_at_a_local_relay():
    settings = Settings(dev_mode=True)
    assert (settings.smtp_host, settings.smtp_port) == ("127.0.0.1", 1025)


def test_the_discord_token_must_be_real_outside_dev_mode():
    with pytest.raises(ValidationError, match="NOTIFICATIONS_DISCORD_BOT_TOKEN"):
        Settings(dev_mode=False, jwt_public_key="pem")
    with pytest.raises(ValidationError, match="NOTIFICATIONS_OAUTH_STATE_SECRET"):
        Settings(dev_mode=False, jwt_public_key="pem", discord_bot_token="MTA.real.token")
    assert Settings(
        dev_mode=False,
        jwt_public_key="pem",
        discord_bot_token="MTA.real.token",
        oauth_state_secret="a-long-random-state-key",
    )
