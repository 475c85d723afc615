"""A person's private calendar feed, on the fakes: its secret URL, rotation and revocation,
which sessions it lists, and the iCalendar it is served as."""

from dataclasses import replace
from datetime import UTC, timedelta

import pytest
from icalendar import Calendar

from booking.adapters.ics import calendar_feed
from booking.domain.calendar_feed import FeedEntry, FeedOwner, FeedRole, token_hash
from booking.domain.errors import CalendarFeedNotFound
from booking.domain.sessions import Actor, SessionStatus
from booking.service_layer.calendar_feed import open_feed, read_feed, revoke_feed

from .builders import MENTOR, NOW, STUDENT, a_session

ME = FeedOwner(STUDENT, FeedRole.student)


def token_of(url: str) -> str:
    assert url.endswith(".ics")
    return url.rsplit("/", 1)[1].removesuffix(".ics")


async def test_opening_a_feed_gives_a_secret_url_through_the_gateway_and_keeps_only_its_hash(
    uow, deps
):
    opened = await open_feed(ME, uow=uow, deps=deps)

    token = token_of(opened.url)
    assert opened.url == f"{deps.policy.calendar_feed_base}/{token}.ics"
    assert opened.url.startswith("http://127.0.0.1:8100/api/booking/v1/calendar-feeds/")
    assert opened.webcal_url == "webcal://" + opened.url.removeprefix("http://")
    assert len(token) >= 43
    ((owner, stored, created_at),) = uow.calendar_feeds.rows.values()
    assert (owner, stored, created_at) == (ME, token_hash(token), NOW)
    assert token not in repr(uow.calendar_feeds.rows)


async def test_the_token_opens_the_owners_feed_and_nothing_else_does(uow, deps):
    token = token_of((await open_feed(ME, uow=uow, deps=deps)).url)

    assert (await read_feed(token, uow=uow, deps=deps)).entries == []
    for other in ("x" * 43, token[:-1] + ("A" if token[-1] != "A" else "B"), "short", "../etc"):
        with pytest.raises(CalendarFeedNotFound):
            await read_feed(other, uow=uow, deps=deps)


async def test_opening_it_again_rotates_the_token_and_the_old_url_stops_working(uow, deps):
    old = token_of((await open_feed(ME, uow=uow, deps=deps)).url)
    new = token_of((await open_feed(ME, uow=uow, deps=deps)).url)

    assert new != old
    await read_feed(new, uow=uow, deps=deps)
    with pytest.raises(CalendarFeedNotFound):
        await read_feed(old, uow=uow, deps=deps)


async def test_a_revoked_feed_is_not_found_and_revoking_again_changes_nothing(uow, deps):
    token = token_of((await open_feed(ME, uow=uow, deps=deps)).url)

    assert await revoke_feed(STUDENT, uow=uow) is True
    assert await revoke_feed(STUDENT, uow=uow) is False
    with pytest.raises(CalendarFeedNotFound):
        await read_feed(token, uow=uow, deps=deps)


async def test_a_students_feed_lists_their_sessions_and_a_mentors_feed_their_students(uow, deps):
    mine = a_session(uow)
    theirs = a_session(uow, starts_in=timedelta(days=3), student_id="student-2")
    elsewhere = a_session(uow, starts_in=timedelta(days=4), mentor_id="mentor-2")
    student = token_of((await open_feed(ME, uow=uow, deps=deps)).url)
    mentor_owner = FeedOwner(MENTOR, FeedRole.mentor)
    mentor = token_of((await open_feed(mentor_owner, uow=uow, deps=deps)).url)

    student_feed = await read_feed(student, uow=uow, deps=deps)
    mentor_feed = await read_feed(mentor, uow=uow, deps=deps)

    assert [e.session.id for e in student_feed.entries] == [mine.id, elsewhere.id]
    assert [e.session.id for e in mentor_feed.entries] == [mine.id, theirs.id]


async def test_old_sessions_drop_out_and_a_canceled_one_shows_for_thirty_days(uow, deps):
    long_ago = a_session(uow, starts_in=-timedelta(days=91))
    held = a_session(uow, starts_in=-timedelta(days=89), status=SessionStatus.completed)
    canceled_late = dict(status=SessionStatus.canceled, canceled_by=Actor.student)
    forgotten = a_session(
        uow, starts_in=timedelta(days=5), canceled_at=NOW - timedelta(days=31), **canceled_late
    )
    recent = a_session(
        uow, starts_in=timedelta(days=6), canceled_at=NOW - timedelta(days=29), **canceled_late
    )
    token = token_of((await open_feed(ME, uow=uow, deps=deps)).url)

    shown = [e.session.id for e in (await read_feed(token, uow=uow, deps=deps)).entries]

    assert shown == [held.id, recent.id]
    assert long_ago.id not in shown and forgotten.id not in shown


async def test_the_feed_was_last_modified_at_its_newest_change(uow, deps):
    session = a_session(uow)
    token = token_of((await open_feed(ME, uow=uow, deps=deps)).url)
    assert (await read_feed(token, uow=uow, deps=deps)).modified_at == NOW

    uow.calendar_feeds.updated_at[session.id] = NOW + timedelta(hours=2)

    assert (await read_feed(token, uow=uow, deps=deps)).modified_at == NOW + timedelta(hours=2)


# ---- the iCalendar ------------------------------------------------------------------------


def events_of(body: bytes):
    calendar = Calendar.from_ical(body)
    return calendar, {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_each_session_is_one_event_with_the_uid_the_mails_carry(uow):
    booked = a_session(uow)
    moved = replace(a_session(uow, starts_in=timedelta(days=3)), sequence=2)
    entries = [FeedEntry(booked, NOW), FeedEntry(moved, NOW + timedelta(minutes=5))]

    calendar, events = events_of(calendar_feed(entries))

    assert calendar["METHOD"] == "PUBLISH" and str(calendar["X-WR-CALNAME"])
    assert set(events) == {f"session-{booked.id}@mentorship", f"session-{moved.id}@mentorship"}
    first, second = (
        events[f"session-{booked.id}@mentorship"],
        events[f"session-{moved.id}@mentorship"],
    )
    assert (first["SEQUENCE"], second["SEQUENCE"]) == (0, 2)
    assert first["STATUS"] == second["STATUS"] == "CONFIRMED"
    assert first.decoded("DTSTART") == booked.starts_at.astimezone(UTC)
    assert first.decoded("DTEND") == booked.ends_at.astimezone(UTC)
    assert (
        second.decoded("DTSTAMP") == second.decoded("LAST-MODIFIED") == NOW + timedelta(minutes=5)
    )
    assert "system design" in str(first["SUMMARY"]) and booked.join_url in str(first["URL"])


def test_a_canceled_session_is_cancelled_with_its_sequence_bumped(uow):
    session = a_session(uow)
    session.cancel(by=Actor.mentor, now=NOW, reason="", late_window=timedelta(hours=24))

    _, events = events_of(calendar_feed([FeedEntry(session, NOW)]))

    (event,) = events.values()
    assert (event["STATUS"], event["SEQUENCE"]) == ("CANCELLED", 1)


def test_the_same_sessions_give_the_same_bytes_and_a_change_gives_others(uow):
    session = a_session(uow)
    entries = [FeedEntry(session, NOW)]

    assert calendar_feed(entries) == calendar_feed(list(entries))
    assert calendar_feed(entries) != calendar_feed([FeedEntry(session, NOW + timedelta(seconds=1))])
    assert calendar_feed([]).count(b"BEGIN:VEVENT") == 0


def test_feed_urls_start_at_the_suites_public_base_url_through_the_gateway():
    from booking.config import Settings

    default = Settings(dev_mode=True)
    public = Settings(dev_mode=True, public_base_url="https://mentors.example/")
    own = Settings(dev_mode=True, calendar_feed_base="https://cal.example/feeds")

    assert default.policy().calendar_feed_url("t" * 43) == (
        "http://127.0.0.1:8100/api/booking/v1/calendar-feeds/" + "t" * 43 + ".ics"
    )
    assert public.calendar_feed_base == "https://mentors.example/api/booking/v1/calendar-feeds"
    assert own.policy().calendar_feed_url("abc") == "https://cal.example/feeds/abc.ics"
