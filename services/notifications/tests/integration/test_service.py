"""Notifications runs as a service: health, readiness, metrics, docs, schema, secrets."""

import pytest
from pydantic import ValidationError

from notifications.adapters.tables import metadata
from notifications.config import Settings
from notifications.service_layer.notices import MAKERS
from shared.testing.service_checks import (
    assert_alive_ready_measured_and_documented,
    assert_migrations_match_tables,
)


async def test_notifications_is_alive_ready_measured_and_documented(notifications):
    await assert_alive_ready_measured_and_documented(
        notifications.service,
        paths={
            "/v1/contacts/{user_id}",
            "/v1/contacts/{user_id}/discord-webhook",
            "/v1/me/notifications",
            "/v1/me/discord/connect",
            "/v1/discord/callback",
            "/v1/deliveries",
            "/v1/deliveries/{delivery_id}/retry",
            "/v1/webhooks/clerk",
            "/v1/dev/mail",
        },
        subjects=[event.subject for event in MAKERS] + ["pack.purchased"],
    )


async def test_the_migrations_create_exactly_the_tables_the_code_uses(notifications):
    await assert_migrations_match_tables(notifications.service, metadata)


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
