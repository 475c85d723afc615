"""Who is told what on which channel for each event, on the fake unit of work.

The inbox (an event redelivered over JetStream) and the senders stay integration tests."""

import uuid

from notifications.domain.model import Channel, DeliveryStatus, Kind
from notifications.service_layer.announce import announce
from notifications.service_layer.dependencies import Dependencies
from shared.messaging.events import ContactDiscordConnected, Event, PaymentRefunded

from .builders import DISCORD_ID, NOW, a_contact, booked, purchased, reminder


async def announced(event: Event, *, uow, deps: Dependencies) -> int:
    async with uow:
        planned = await announce(
            event, event_id=uuid.uuid4(), event_type=event.subject, uow=uow, deps=deps
        )
        await uow.commit()
    return planned


async def test_a_booked_session_mails_the_student_and_the_mentor_each_an_invite_in_their_zone(
    uow, deps
):
    a_contact(uow, "s1", display_name="Ada", timezone="Asia/Tokyo")
    a_contact(uow, "m1", display_name="Grace", timezone="Europe/Berlin")

    assert await announced(booked(), uow=uow, deps=deps) == 2

    mails = {d.recipient: d for d in uow.deliveries.all()}
    assert {(r, d.channel, d.status, d.address) for r, d in mails.items()} == {
        ("s1", Channel.email, DeliveryStatus.pending, "s1@example.com"),
        ("m1", Channel.email, DeliveryStatus.pending, "m1@example.com"),
    }
    assert all(d.attachments[0]["filename"] == "session.ics" for d in mails.values())
    assert "JST (Asia/Tokyo)" in (mails["s1"].body_text or "")
    assert "(Europe/Berlin)" in (mails["m1"].body_text or "")
    assert all(d.next_attempt_at == NOW and d.attempt_limit == 4 for d in mails.values())
    assert uow.deliveries.woken == [{Channel.email}]


async def test_the_same_event_planned_again_adds_no_delivery_and_wakes_no_sender(uow, deps):
    a_contact(uow, "s1")
    a_contact(uow, "m1")
    event = booked()
    event_id = uuid.uuid4()

    async def plan() -> int:
        return await announce(
            event, event_id=event_id, event_type=event.subject, uow=uow, deps=deps
        )

    assert (await plan(), await plan()) == (2, 0)
    assert len(uow.deliveries.all()) == 2
    assert uow.deliveries.woken == [{Channel.email}]


async def test_a_recipient_without_a_contact_is_skipped_with_the_reason(uow, deps):
    a_contact(uow, "m1")

    await announced(booked(), uow=uow, deps=deps)

    [skipped] = uow.deliveries.all(recipient="s1")
    assert (skipped.channel, skipped.status, skipped.skip_reason) == (
        Channel.email,
        DeliveryStatus.skipped,
        "no contact",
    )
    assert skipped.next_attempt_at is None


async def test_two_default_channels_give_a_delivery_on_each_and_a_dm_needs_the_bot(uow, deps):
    a_contact(uow, "s1", discord_id=DISCORD_ID, channels=(Channel.email, Channel.discord))

    await announced(purchased(renewal=True), uow=uow, deps=deps)

    found = {d.channel: d for d in uow.deliveries.all(recipient="s1")}
    assert found[Channel.email].status is DeliveryStatus.pending
    discord = found[Channel.discord]
    assert (discord.address, discord.status, discord.skip_reason) == (
        DISCORD_ID,
        DeliveryStatus.skipped,
        "not configured",
    )
    assert discord.body_html is None and discord.attachments == []


async def test_with_the_bot_a_dm_is_due_and_a_mentor_webhook_needs_no_bot(uow, deps):
    from dataclasses import replace

    deps = replace(deps, policy=replace(deps.policy, discord_ready=True))
    hook = "https://discord.com/api/webhooks/123456789012345678/" + "t" * 40
    a_contact(uow, "s1", discord_id=DISCORD_ID, channels=(Channel.discord,))
    a_contact(uow, "m1", discord_webhook_url=hook, channels=(Channel.discord,))

    await announced(booked(), uow=uow, deps=deps)

    assert {(d.recipient, d.address, d.status) for d in uow.deliveries.all()} == {
        ("s1", DISCORD_ID, DeliveryStatus.pending),
        ("m1", hook, DeliveryStatus.pending),
    }
    assert uow.deliveries.woken == [{Channel.discord}]


async def test_a_kind_goes_where_the_contact_routes_it_and_a_muted_kind_is_opted_out(uow, deps):
    a_contact(
        uow,
        "s1",
        discord_id=DISCORD_ID,
        kind_channels={Kind.reminder: (Channel.discord,), Kind.session: ()},
    )

    await announced(reminder(), uow=uow, deps=deps)
    await announced(booked(), uow=uow, deps=deps)

    student = uow.deliveries.all(recipient="s1")
    assert {(d.kind, d.channel, d.status, d.skip_reason) for d in student} == {
        (Kind.reminder, Channel.discord, DeliveryStatus.skipped, "not configured"),
        (Kind.session, Channel.email, DeliveryStatus.skipped, "opted out"),
    }


async def test_a_refund_is_told_to_the_student_only_with_the_amount(uow, deps):
    a_contact(uow, "s1")
    a_contact(uow, "m1")
    refund = PaymentRefunded(
        order_id=uuid.uuid4(),
        refund_id=uuid.uuid4(),
        student_id="s1",
        mentor_id="m1",
        amount=12345,
        currency="EUR",
        full=True,
        refunded_at=NOW,
    )

    await announced(refund, uow=uow, deps=deps)

    [told] = uow.deliveries.all()
    assert (told.recipient, told.template, told.kind) == ("s1", "payment_refunded", Kind.billing)
    assert "€123.45" in (told.body_text or "")  # Babel's English form (was "EUR 123.45")


async def test_a_connected_discord_is_confirmed_on_discord_only(uow, deps):
    a_contact(uow, "s1", discord_id=DISCORD_ID)

    await announced(
        ContactDiscordConnected(user_id="s1", discord_id=DISCORD_ID), uow=uow, deps=deps
    )

    [told] = uow.deliveries.all()
    assert (told.channel, told.template) == (Channel.discord, "discord_connected")
