"""The session projection: idempotent, order-safe, concurrent-safe, over real JetStream."""

import asyncio
import itertools
from datetime import timedelta

from video.domain.sessions import SessionStatus

MIN = timedelta(minutes=1)
HOUR = timedelta(hours=1)


async def test_facts_in_every_order_end_in_the_newest_state(video):
    """One session per order of (booked, rescheduled, canceled), all delivered at once."""
    now = video.clock.now()
    expected = {}
    deliveries = []
    for order in itertools.permutations(range(3)):
        booked = video.booked()
        later = booked.starts_at + timedelta(days=1)
        facts = [
            video.envelope(booked, at=now),
            video.envelope(video.rescheduled(booked, to=later), at=now + MIN),
            video.envelope(video.canceled(booked), at=now + 2 * MIN),
        ]
        expected[booked.session_id] = later
        deliveries += [facts[index] for index in order]
    for envelope in deliveries:
        await video.publish(envelope)
    for session_id, later in expected.items():
        view = await video.wait_for(
            session_id,
            lambda v, later=later: v.status is SessionStatus.canceled and v.starts_at == later,
        )
        assert view.ends_at == later + HOUR


async def test_a_cancel_arriving_before_its_booking_ends_canceled(video):
    booked = video.booked()
    now = video.clock.now()
    await video.publish(video.envelope(video.canceled(booked), at=now + MIN))
    await video.wait_for(booked.session_id, lambda v: v.status is SessionStatus.canceled)
    await video.publish(video.envelope(booked, at=now))
    await video.wait_for(booked.session_id, lambda v: v.starts_at is not None)
    assert (await video.view(booked.session_id)).status is SessionStatus.canceled


async def test_a_redelivered_fact_past_the_dedupe_window_changes_nothing(video):
    booked = await video.book()
    later = booked.starts_at + timedelta(days=1)
    move = video.envelope(video.rescheduled(booked, to=later), at=video.clock.now() + MIN)
    await video.publish(move)
    await video.wait_for(booked.session_id, lambda v: v.starts_at == later)
    # A newer move, then the first one again under another message id (the stream lets it in).
    newest = later + timedelta(days=1)
    await video.publish(
        video.envelope(video.rescheduled(booked, to=newest), at=video.clock.now() + 2 * MIN)
    )
    await video.wait_for(booked.session_id, lambda v: v.starts_at == newest)
    await video.publish(move, msg_id="again")
    await asyncio.sleep(0.5)
    assert (await video.view(booked.session_id)).starts_at == newest


async def test_the_facts_of_many_sessions_delivered_all_at_once_all_land(video):
    now = video.clock.now()
    sessions = [video.booked() for _ in range(20)]
    envelopes = []
    for booked in sessions:
        envelopes.append(video.envelope(booked, at=now))
        envelopes.append(video.envelope(video.completed(booked), at=now + MIN))
    await asyncio.gather(*(video.publish(envelope) for envelope in reversed(envelopes)))
    for booked in sessions:
        view = await video.wait_for(
            booked.session_id,
            lambda v: v.status is SessionStatus.completed and v.starts_at is not None,
        )
        assert view.starts_at == booked.starts_at
