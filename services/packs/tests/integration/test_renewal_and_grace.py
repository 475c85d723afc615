"""Renewal reminders by sessions left; grace timing on the injectable clock, no sleeps."""

import asyncio
from datetime import timedelta

from packs.entrypoints.jobs import RELEASE_GRACE, WARN_GRACE
from shared.messaging.events import (
    MentorCapacityChanged,
    PackDepleted,
    PackPurchased,
    PackRenewalDue,
    SeatGraceExpiring,
    SeatGraceStarted,
    SeatReleased,
)


async def reminders(app) -> list[int]:
    return [e.remaining for e in await app.recorded(PackRenewalDue)]


async def test_a_six_session_pack_reminds_at_one_left_and_at_none(packs_app):
    await packs_app.buy("s1", "m1", sessions=6)
    for _ in range(4):
        await packs_app.book_and_complete("s1", "m1")
    assert await reminders(packs_app) == []
    await packs_app.book_and_complete("s1", "m1")
    assert await reminders(packs_app) == [1]
    await packs_app.book_and_complete("s1", "m1")
    assert await reminders(packs_app) == [1, 0]
    grace = await packs_app.recorded(SeatGraceStarted)
    assert [e.grace_ends_at for e in grace] == [packs_app.clock.now() + timedelta(hours=72)]


async def test_a_stacked_renewal_reminds_again_at_one_left_and_at_none(packs_app):
    first = await packs_app.buy("s1", "m1", sessions=4)
    for _ in range(3):
        await packs_app.book_and_complete("s1", "m1")
    assert await reminders(packs_app) == [1]
    packs_app.clock.advance(timedelta(days=1))  # the renewal expires a day after the first
    second = await packs_app.buy("s1", "m1", sessions=4)
    purchased = await packs_app.recorded(PackPurchased)
    assert [e.renewal for e in purchased] == [False, True]
    assert purchased[0].seat_id == purchased[1].seat_id
    for _ in range(3):
        await packs_app.book_and_complete("s1", "m1")  # the first pack's last, then 2 of 4
    assert await reminders(packs_app) == [1]
    assert [e.pack_id for e in await packs_app.recorded(PackDepleted)] == [first]
    await packs_app.book_and_complete("s1", "m1")
    assert await reminders(packs_app) == [1, 1]
    await packs_app.book_and_complete("s1", "m1")
    assert await reminders(packs_app) == [1, 1, 0]
    assert [e.pack_id for e in await packs_app.recorded(PackDepleted)] == [first, second]
    assert len(await packs_app.recorded(SeatGraceStarted)) == 1


async def test_booked_but_not_yet_held_sessions_do_not_start_grace(packs_app):
    await packs_app.buy("s1", "m1", sessions=2)
    first = await packs_app.reserve("s1", "m1")
    await packs_app.reserve("s1", "m1")
    await packs_app.consume(first.session_id)
    assert await reminders(packs_app) == [1]
    assert (await packs_app.seat("s1", "m1")).status == "active"


async def use_up_a_one_session_pack(app) -> None:
    await app.buy("s1", "m1", sessions=1)
    await app.book_and_complete("s1", "m1")
    assert (await app.seat("s1", "m1")).status == "grace"


async def test_grace_warns_once_twelve_hours_before_the_end_and_releases_at_the_end(packs_app):
    clock = packs_app.clock
    await use_up_a_one_session_pack(packs_app)
    ends_at = clock.now() + timedelta(hours=72)

    clock.set(ends_at - timedelta(hours=12, seconds=1))
    assert await packs_app.run_job(WARN_GRACE) == 0
    clock.set(ends_at - timedelta(hours=12))
    assert await packs_app.run_job(WARN_GRACE) == 1
    assert await packs_app.run_job(WARN_GRACE) == 0
    clock.set(ends_at - timedelta(hours=1))
    assert await packs_app.run_job(WARN_GRACE) == 0
    assert [e.grace_ends_at for e in await packs_app.recorded(SeatGraceExpiring)] == [ends_at]

    clock.set(ends_at - timedelta(seconds=1))
    assert await packs_app.run_job(RELEASE_GRACE) == 0
    assert (await packs_app.seat("s1", "m1")).status == "grace"
    clock.set(ends_at)
    assert await packs_app.run_job(RELEASE_GRACE) == 1
    seat = await packs_app.seat("s1", "m1")
    assert (seat.status, seat.release_reason) == ("released", "grace_over")
    assert [e.reason for e in await packs_app.recorded(SeatReleased)] == ["grace_over"]
    assert (await packs_app.recorded(MentorCapacityChanged))[-1].live_seats == 0
    assert await packs_app.run_job(RELEASE_GRACE) == 0


async def test_a_renewal_an_hour_before_grace_ends_keeps_the_seat(packs_app):
    clock = packs_app.clock
    await use_up_a_one_session_pack(packs_app)
    ends_at = clock.now() + timedelta(hours=72)
    seat_id = (await packs_app.seat("s1", "m1")).id
    clock.set(ends_at - timedelta(hours=1))
    await packs_app.buy("s1", "m1", sessions=4)
    seat = await packs_app.seat("s1", "m1")
    assert (seat.id, seat.status, seat.grace_ends_at) == (seat_id, "active", None)
    clock.set(ends_at + timedelta(hours=1))
    assert await packs_app.run_job(WARN_GRACE) == 0
    assert await packs_app.run_job(RELEASE_GRACE) == 0
    assert (await packs_app.seat("s1", "m1")).status == "active"
    assert await packs_app.recorded(SeatReleased) == []


async def test_a_renewed_seat_that_runs_out_again_gets_a_fresh_grace_and_warning(packs_app):
    clock = packs_app.clock
    await use_up_a_one_session_pack(packs_app)
    clock.advance(timedelta(hours=61))
    assert await packs_app.run_job(WARN_GRACE) == 1
    await packs_app.buy("s1", "m1", sessions=1)
    await packs_app.book_and_complete("s1", "m1")
    clock.advance(timedelta(hours=60))
    assert await packs_app.run_job(WARN_GRACE) == 1
    assert len(await packs_app.recorded(SeatGraceExpiring)) == 2


async def test_two_replicas_running_the_grace_jobs_together_warn_and_release_once(start_packs):
    first = await start_packs()
    second = await start_packs(database_url=first.service.database_url)
    for student in ("s1", "s2", "s3"):
        await first.buy(student, "m1", sessions=1)
        await first.book_and_complete(student, "m1")
    first.clock.advance(timedelta(hours=61))
    warned = await asyncio.gather(first.run_job(WARN_GRACE), second.run_job(WARN_GRACE))
    assert sum(warned) == 3
    first.clock.advance(timedelta(hours=11))
    released = await asyncio.gather(first.run_job(RELEASE_GRACE), second.run_job(RELEASE_GRACE))
    assert sum(released) == 3
    assert len(await first.recorded(SeatGraceExpiring)) == 3
    assert len(await first.recorded(SeatReleased)) == 3
