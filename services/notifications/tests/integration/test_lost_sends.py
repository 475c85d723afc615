"""A last attempt whose sender died is dead once its lease runs out, never stuck pending; a
lease is timed by the database's clock, so moving the service's clock does not end it."""

import asyncio
from datetime import timedelta

from notifications.adapters.unit_of_work import SqlNotificationsUnitOfWork
from notifications.domain.model import Channel
from notifications.entrypoints.jobs import BURY_LOST_SENDS
from notifications.service_layer.sending import claim_due
from shared.clock import FakeClock
from shared.testing.helpers import eventually

from .test_email import booked


async def test_a_claimed_last_attempt_that_never_reports_back_is_dead_after_its_lease(
    start_notifications, mail
):
    clock = FakeClock()
    app = await start_notifications(
        smtp_port=mail.port,
        clock=clock,
        senders_enabled=False,
        send_max_attempts=1,
        send_lease_seconds=1.0,
    )
    await app.contact("s1")
    envelope = await app.publish(booked(mentor="m-without-contact"))
    await eventually(lambda: app.deliveries(event_id=envelope.id))
    async with app.runtime.uow() as uow:  # a sender claims it, then its process dies
        repositories = SqlNotificationsUnitOfWork(uow)
        [claimed] = await claim_due(Channel.email, uow=repositories, deps=app.deps, limit=10)
        await uow.commit()

    before = await app.run_job(BURY_LOST_SENDS)
    clock.advance(timedelta(hours=71))  # the dev clock jumps: the send is still in its lease
    jumped = await app.run_job(BURY_LOST_SENDS)
    await asyncio.sleep(1.2)
    after = await app.run_job(BURY_LOST_SENDS)
    [row] = await app.deliveries(event_id=envelope.id, recipient="s1")

    assert (claimed.attempts, before, jumped, after) == (1, 0, 0, 1)
    assert (row.status, row.attempts) == ("dead", 1)
    assert "never reported back" in row.last_error
    assert mail.received == []
