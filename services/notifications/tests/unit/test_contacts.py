"""Contact preferences on the fake unit of work: what Clerk may change, connecting Discord,
erasing a user."""

import uuid

import pytest

from notifications.domain.errors import ContactNotFound
from notifications.domain.model import Channel
from notifications.service_layer.contacts import (
    SaveContact,
    SyncUser,
    connect_discord,
    erase_user,
    save_contact,
    set_discord_webhook,
    sync_user,
)
from notifications.service_layer.onboarding import start_onboarding
from shared.messaging.events import ContactDiscordConnected

from .builders import DISCORD_ID, NOW, a_contact, booked, purchased
from .test_planning import announced


async def test_a_clerk_sync_changes_the_identity_and_keeps_the_users_preferences(uow, deps):
    saved = SaveContact(
        user_id="u1",
        email="old@example.com",
        display_name="Old",
        discord_id=DISCORD_ID,
        timezone="Asia/Tokyo",
        locale="ja",
        channels=["discord"],
    )
    await save_contact(saved, uow=uow, deps=deps)

    synced = await sync_user(SyncUser("u1", "new@example.com", "Ada"), uow=uow, deps=deps)

    assert (synced.email, synced.display_name) == ("new@example.com", "Ada")
    assert (synced.timezone, synced.locale, synced.channels) == (
        "Asia/Tokyo",
        "ja",
        (Channel.discord,),
    )
    assert synced.updated_at == NOW


async def test_a_user_clerk_creates_is_reached_by_email_in_utc(uow, deps):
    created = await sync_user(SyncUser("u2", "u2@example.com", None), uow=uow, deps=deps)

    assert (created.channels, created.timezone) == ((Channel.email,), "UTC")


async def test_connecting_discord_adds_the_channel_once_ends_onboarding_and_is_announced(uow, deps):
    a_contact(uow, "s1")
    await start_onboarding(purchased(), event_id=uuid.uuid4(), uow=uow, deps=deps)

    async with uow:
        for _ in range(2):
            await connect_discord("s1", DISCORD_ID, uow=uow, deps=deps)
        await uow.commit()

    contact = uow.contacts.rows["s1"]
    assert (contact.discord_id, contact.channels) == (DISCORD_ID, (Channel.email, Channel.discord))
    assert "s1" in uow.onboarding.connected
    assert uow.events()[0] == ContactDiscordConnected(user_id="s1", discord_id=DISCORD_ID)


async def test_a_webhook_needs_a_saved_contact(uow, deps):
    with pytest.raises(ContactNotFound):
        await set_discord_webhook(
            "nobody", "https://discord.com/api/webhooks/1/x", uow=uow, deps=deps
        )


async def test_an_erased_user_leaves_no_contact_onboarding_name_or_address_in_the_log(uow, deps):
    a_contact(uow, "s1")
    a_contact(uow, "m1")
    await start_onboarding(purchased(), event_id=uuid.uuid4(), uow=uow, deps=deps)
    await uow.names.remember("s1", display_name="Ada", occurred_at=NOW)
    await announced(booked(), uow=uow, deps=deps)

    assert await erase_user("s1", uow=uow, deps=deps) is True

    assert "s1" not in uow.contacts.rows and "s1" not in uow.onboarding.remind_at
    assert await uow.names.get_many({"s1"}) == {}
    assert {d.address for d in uow.deliveries.all(recipient="s1")} == {None}
    assert {d.address for d in uow.deliveries.all(recipient="m1")} == {"m1@example.com"}
