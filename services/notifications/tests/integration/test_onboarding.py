"""After a first purchase: a connect-Discord email, one reminder at 48 h, none once connected."""

from datetime import timedelta

import pytest

from notifications.entrypoints.jobs import ONBOARDING_REMINDERS
from shared.clock import FakeClock
from shared.testing.helpers import eventually

from .test_planning import purchased


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def app(start_notifications, mail, clock):
    return await start_notifications(
        smtp_port=mail.port, clock=clock, connect_discord_url="https://app.example/discord"
    )


async def onboarding_mails(app, student: str) -> list:
    rows = await app.deliveries(recipient=student, kind="onboarding")
    return sorted(rows, key=lambda r: r.created_at)


async def test_a_first_purchase_asks_to_connect_discord_and_reminds_once_after_48_hours(
    app, mail, clock
):
    await app.contact("s1")
    await app.publish(purchased("s1"))
    await app.publish(purchased("s1"))  # a second first-time pack: still one onboarding

    [welcome] = await eventually(lambda: onboarding_mails(app, "s1"))
    clock.advance(timedelta(hours=47))
    early = await app.run_job(ONBOARDING_REMINDERS)
    clock.advance(timedelta(hours=2))
    due = await app.run_job(ONBOARDING_REMINDERS)
    clock.advance(timedelta(days=5))
    later = await app.run_job(ONBOARDING_REMINDERS)

    assert (early, due, later) == (0, 1, 0)
    rows = await onboarding_mails(app, "s1")
    assert [r.template for r in rows] == ["onboarding", "onboarding_reminder"]
    assert all("https://app.example/discord" in r.body_text for r in rows)
    await eventually(lambda: _mails_to(mail, "s1@example.com", 3))  # purchase + 2 onboarding


async def test_no_reminder_once_the_student_connected_discord(app, clock):
    await app.contact("s2")
    await app.publish(purchased("s2"))
    await eventually(lambda: onboarding_mails(app, "s2"))
    async with app.runtime.uow() as uow:
        from notifications.service_layer.contacts import connect_discord

        await connect_discord("s2", "123456789012345678", uow=uow, deps=app.app.deps)
        await uow.commit()
    clock.advance(timedelta(hours=49))

    assert await app.run_job(ONBOARDING_REMINDERS) == 0
    assert [r.template for r in await onboarding_mails(app, "s2")] == ["onboarding"]


async def test_a_renewal_or_an_already_connected_student_gets_no_onboarding(app):
    await app.contact("s3", discord_id="123456789012345678")
    await app.publish(purchased("s3"))
    await app.publish(purchased("s4", renewal=True))

    await eventually(lambda: app.deliveries(recipient="s4"))
    await eventually(lambda: app.deliveries(recipient="s3"))

    assert await onboarding_mails(app, "s3") == []
    assert await onboarding_mails(app, "s4") == []


async def _mails_to(mail, address: str, count: int) -> bool:
    return sum(1 for m in mail.received if m.rcpt_tos == [address]) >= count
