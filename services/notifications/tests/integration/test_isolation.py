"""A stalled SMTP server holds only the email slots: Discord and new events go on."""

import asyncio
import time

import pytest

from shared.embedded.ports import free_port
from shared.testing.helpers import eventually

from .test_discord import BOT_TOKEN, DISCORD_ID
from .test_email import booked


@pytest.fixture
async def stalled_smtp():
    """Accepts connections and never says a word (not even the SMTP greeting)."""
    held: list[asyncio.StreamWriter] = []

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    port = free_port()
    server = await asyncio.start_server(hold, "127.0.0.1", port)
    yield port
    for writer in held:
        writer.close()
    server.close()
    await server.wait_closed()


async def test_a_stalled_smtp_server_never_delays_discord_or_other_events(
    start_notifications, stalled_smtp, discord
):
    app = await start_notifications(
        smtp_port=stalled_smtp,
        smtp_timeout_seconds=30,
        email_concurrency=2,
        discord_bot_token=BOT_TOKEN,
        discord_api_url=discord.url,
    )
    await app.contact("s1", discord_id=DISCORD_ID, channels=["email", "discord"])
    started = time.monotonic()
    first = await app.publish(booked(mentor="m-without-contact"))
    second = await app.publish(booked(mentor="m-without-contact"))  # both email slots stall
    third = await app.publish(booked(mentor="m-without-contact"))

    async def all_dms_sent() -> bool:
        rows = await app.deliveries(recipient="s1", channel="discord")
        return len(rows) == 3 and {r.status for r in rows} == {"sent"}

    await eventually(all_dms_sent, within=10)
    took = time.monotonic() - started
    emails = await app.deliveries(recipient="s1", channel="email")

    assert took < 10  # far below the 30 s the stalled email sends wait
    assert {r.event_id for r in emails} == {first.id, second.id, third.id}
    assert {r.status for r in emails} == {"pending"}
    assert len(discord.posted("message")) == 3
