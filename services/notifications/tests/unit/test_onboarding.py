"""Discord onboarding on the fake unit of work: a first purchase's email, one reminder, none
once connected. The due job over Postgres (SKIP LOCKED, the mails) is an integration test."""

import uuid
from datetime import timedelta

from notifications.domain.model import Channel, Kind
from notifications.service_layer.onboarding import (
    onboardings_to_remind,
    remind_unconnected,
    start_onboarding,
)

from .builders import DISCORD_ID, a_contact, purchased


async def reminders_due(uow, deps) -> list[str]:
    return await onboardings_to_remind(uow=uow, deps=deps, limit=10)


async def test_a_first_purchase_mails_the_connect_link_once(uow, deps):
    a_contact(uow, "s1")

    first = await start_onboarding(purchased(), event_id=uuid.uuid4(), uow=uow, deps=deps)
    second = await start_onboarding(purchased(), event_id=uuid.uuid4(), uow=uow, deps=deps)

    assert (first, second) == (True, False)
    [mail] = uow.deliveries.all(kind=Kind.onboarding)
    assert (mail.template, mail.channel) == ("onboarding", Channel.email)
    assert "https://app.example/discord" in (mail.body_text or "")


async def test_a_renewal_or_an_already_connected_student_gets_no_onboarding(uow, deps):
    a_contact(uow, "s3", discord_id=DISCORD_ID)

    renewal = await start_onboarding(
        purchased("s4", renewal=True), event_id=uuid.uuid4(), uow=uow, deps=deps
    )
    connected = await start_onboarding(purchased("s3"), event_id=uuid.uuid4(), uow=uow, deps=deps)

    assert (renewal, connected) == (False, False)
    assert uow.deliveries.all(kind=Kind.onboarding) == []


async def test_the_reminder_comes_once_after_48_hours_and_not_once_connected(uow, deps, clock):
    for student in ("s1", "s2"):
        a_contact(uow, student)
        await start_onboarding(purchased(student), event_id=uuid.uuid4(), uow=uow, deps=deps)
    await uow.onboarding.mark_connected("s2", now=clock.now())

    clock.advance(timedelta(hours=47))
    early = await reminders_due(uow, deps)
    clock.advance(timedelta(hours=2))
    due = await reminders_due(uow, deps)
    sent = [await remind_unconnected(s, uow=uow, deps=deps) for s in due]

    assert (early, due, sent) == ([], ["s1"], [True])
    assert await reminders_due(uow, deps) == []
    assert await remind_unconnected("s1", uow=uow, deps=deps) is False
    assert [d.template for d in uow.deliveries.all(recipient="s1", kind=Kind.onboarding)] == [
        "onboarding",
        "onboarding_reminder",
    ]


async def test_a_reminder_another_replica_claimed_is_left_to_it(uow, deps, clock):
    a_contact(uow, "s1")
    await start_onboarding(purchased(), event_id=uuid.uuid4(), uow=uow, deps=deps)
    clock.advance(timedelta(hours=49))
    uow.onboarding.taken.add("s1")

    assert await remind_unconnected("s1", uow=uow, deps=deps) is False
    assert len(uow.deliveries.all(recipient="s1")) == 1
