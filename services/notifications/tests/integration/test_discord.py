"""Discord over HTTP (a local server on loopback): DMs, webhooks, rate limits, OAuth connect."""

import asyncio
from urllib.parse import parse_qs, urlsplit

import pytest

from shared.messaging.events import ContactDiscordConnected
from shared.testing.helpers import eventually
from shared.testing.plugin import auth_headers

from .test_email import booked

DISCORD_ID = "123456789012345678"
BOT_TOKEN = "MTA.test-bot.token"
WEBHOOK = "https://discord.com/api/webhooks/112233445566778899/" + "t0ken-" * 10


@pytest.fixture
async def app(start_notifications, discord, mail):
    return await start_notifications(
        smtp_port=mail.port,
        discord_bot_token=BOT_TOKEN,
        discord_api_url=discord.url,
        discord_client_id="client-1",
        discord_client_secret="client-secret",
    )


async def test_a_student_on_discord_gets_a_dm_that_pings_nobody(app, discord):
    await app.contact("s1", discord_id=DISCORD_ID, channels=["discord"])
    envelope = await app.publish(booked(mentor="m-without-contact"))

    [row] = await app.settled(1, event_id=envelope.id, recipient="s1")

    [opened] = discord.posted("dm")
    [message] = discord.posted("message")
    assert opened == {"recipient_id": DISCORD_ID}
    assert message["allowed_mentions"] == {"parse": []}
    assert message["content"].startswith("Session booked with your mentor (System design)")
    assert (row.status, row.attempts) == ("sent", 1)
    assert row.provider_message_id


async def test_a_429_is_retried_after_the_time_discord_asks_for(app, discord):
    await app.contact("s1", discord_id=DISCORD_ID, channels=["discord"])
    discord.reply_next(429, {"message": "You are being rate limited.", "retry_after": 0.4})
    envelope = await app.publish(booked(mentor="m-without-contact"))

    [row] = await app.settled(1, event_id=envelope.id, recipient="s1")

    times = [at for kind, _, _, at in discord.requests if kind == "message"]
    assert (row.status, row.attempts) == ("sent", 2)
    assert len(times) == 2 and times[1] - times[0] >= 0.4


async def test_a_403_fails_at_once_without_retries(app, discord):
    await app.contact("s1", discord_id=DISCORD_ID, channels=["discord"])
    discord.reply_next(403, {"message": "Cannot send messages to this user", "code": 50007})
    envelope = await app.publish(booked(mentor="m-without-contact"))

    [row] = await app.settled(1, event_id=envelope.id, recipient="s1")
    await asyncio.sleep(0.4)

    assert (row.status, row.attempts) == ("failed", 1)
    assert row.last_error.startswith("discord 403")
    assert len(discord.posted("message")) == 1


async def test_a_mentor_with_a_channel_webhook_is_told_there(app, discord):
    mentor = auth_headers("m1", "mentor")
    await app.contact("m1", discord_id=DISCORD_ID, channels=["discord"])
    bad = await app.client.put(
        "/v1/contacts/m1/discord-webhook", json={"url": "https://evil.example/hook"}, headers=mentor
    )
    saved = await app.client.put(
        "/v1/contacts/m1/discord-webhook", json={"url": WEBHOOK}, headers=mentor
    )
    student = await app.client.put(
        "/v1/contacts/m1/discord-webhook",
        json={"url": WEBHOOK},
        headers=auth_headers("s", "student"),
    )
    envelope = await app.publish(booked(student="s-without-contact", mentor="m1"))

    [row] = await app.settled(1, event_id=envelope.id, recipient="m1")

    assert bad.status_code == 422
    assert saved.status_code == 200 and saved.json()["discord_webhook_url"] == WEBHOOK
    assert student.status_code == 403
    [posted] = discord.posted("webhook")
    assert posted["allowed_mentions"] == {"parse": []}
    assert row.status == "sent"
    assert discord.posted("dm") == []


async def test_connecting_discord_stores_the_id_and_announces_it(app, discord, event_probe):
    student = auth_headers("s-connect", "student")
    await app.contact("s-connect")
    consent = await app.client.get("/v1/me/discord/connect", headers=student)
    query = parse_qs(urlsplit(consent.json()["url"]).query)

    callback = await app.client.get(
        "/v1/discord/callback", params={"code": "good-code", "state": query["state"][0]}
    )
    [announced] = await event_probe.wait_for(ContactDiscordConnected)
    contact = await app.client.get("/v1/contacts/me", headers=student)

    assert (query["scope"], query["client_id"], query["response_type"]) == (
        ["identify"],
        ["client-1"],
        ["code"],
    )
    assert callback.status_code == 200, callback.text
    assert contact.json()["discord_id"] == "987654321098765432"
    assert contact.json()["channels"] == ["email", "discord"]
    assert announced.payload().user_id == "s-connect"
    [token_request] = discord.posted("token")
    assert token_request["code"] == "good-code"
    # The confirmation DM goes to the new id.
    await eventually(lambda: _posted(discord, "message"))


async def test_a_forged_or_refused_connection_changes_nothing(app, discord):
    consent = await app.client.get("/v1/me/discord/connect", headers=auth_headers("s-x", "student"))
    state = parse_qs(urlsplit(consent.json()["url"]).query)["state"][0]

    forged = await app.client.get(
        "/v1/discord/callback", params={"code": "good-code", "state": state[:-4] + "AAAA"}
    )
    refused = await app.client.get(
        "/v1/discord/callback", params={"code": "bad-code", "state": state}
    )
    contact = await app.client.get("/v1/contacts/me", headers=auth_headers("s-x", "student"))

    assert (forged.status_code, forged.json()["code"]) == (422, "OAUTH_STATE_INVALID")
    assert (refused.status_code, refused.json()["code"]) == (503, "DISCORD_UNAVAILABLE")
    assert contact.status_code == 404


async def _posted(discord, kind: str) -> bool:
    return bool(discord.posted(kind))
