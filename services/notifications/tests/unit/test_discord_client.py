"""The Discord client at its HTTP boundary (httpx's MockTransport): limits, outcomes, routes."""

import json
import time

import httpx

from notifications.adapters.discord import DiscordClient
from notifications.domain.retries import Permanent, Sent, Transient

API = "https://discord.test/api/v10"
WEBHOOK = "https://discord.com/api/webhooks/112233445566778899/secret-token"


def client(handler) -> DiscordClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return DiscordClient(http=http, api_url=API, bot_token="MTA.bot")


async def test_an_empty_rate_limit_bucket_holds_the_next_message_until_its_reset():
    sent_at: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/users/@me/channels"):
            return httpx.Response(200, json={"id": "dm-1"})
        sent_at.append(time.monotonic())
        headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": "0.3"}
        return httpx.Response(200, json={"id": str(len(sent_at))}, headers=headers)

    discord = client(handler)
    first = await discord.send("123456789012345678", "one")
    second = await discord.send("123456789012345678", "two")

    assert (first, second) == (Sent("1"), Sent("2"))
    assert sent_at[1] - sent_at[0] >= 0.3


async def test_refusals_are_permanent_and_server_trouble_or_429_transient():
    replies = iter(
        [
            httpx.Response(404, json={"message": "Unknown Webhook"}),
            httpx.Response(502, text="bad gateway"),
            httpx.Response(429, json={"retry_after": 1.5, "global": False}),
        ]
    )
    discord = client(lambda request: next(replies))

    assert isinstance(await discord.send(WEBHOOK, "x"), Permanent)
    assert isinstance(await discord.send(WEBHOOK, "x"), Transient)
    limited = await discord.send(WEBHOOK, "x")
    assert isinstance(limited, Transient) and limited.retry_after == 1.5


async def test_a_webhook_runs_on_the_configured_api_and_never_pings_anyone():
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"id": "m-1"})

    result = await client(handler).send(WEBHOOK, "@everyone hello")
    [request] = seen

    assert result == Sent("m-1")
    assert str(request.url) == f"{API}/webhooks/112233445566778899/secret-token?wait=true"
    assert json.loads(request.content)["allowed_mentions"] == {"parse": []}
    assert "authorization" not in request.headers  # the webhook's token is in its URL


async def test_a_refused_connection_is_transient():
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused")

    assert isinstance(await client(handler).send("123456789012345678", "x"), Transient)
