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


async def _mails_to(mail, address: str, count: int) -> bool:
    return sum(1 for m in mail.received if m.rcpt_tos == [address]) >= count
