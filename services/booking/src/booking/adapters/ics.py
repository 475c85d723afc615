"""Sessions as iCalendar (RFC 5545), built with the icalendar library: one session's invite,
and a person's feed of all their sessions."""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vDuration

from booking.domain.calendar_feed import FeedEntry
from booking.domain.sessions import Session, SessionStatus

PRODID = "-//Mentorship platform//booking//EN"
UID_DOMAIN = "mentorship"
"""The UIDs of the invites the mails carry (notifications' `.ics`): one event per session in
a calendar, whether it came by mail, by download or by the feed."""
FEED_NAME = "Mentorship sessions"
FEED_REFRESH = timedelta(minutes=15)
"""How often a subscribed client is asked to fetch the feed again (RFC 7986 REFRESH-INTERVAL)."""


def session_uid(session: Session) -> str:
    """Stable for the session's whole life, so calendars update one event."""
    return f"session-{session.id}@{UID_DOMAIN}"


def session_invite(session: Session, *, stamp: datetime) -> bytes:
    """REQUEST while the session stands, CANCEL once canceled; times in the mentor's zone."""
    canceled = session.status is SessionStatus.canceled
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if canceled else "REQUEST")
    event = _event(session, stamp=stamp)
    zone = ZoneInfo(session.mentor_timezone)
    event.start = session.starts_at.astimezone(zone)
    event.end = session.ends_at.astimezone(zone)
    calendar.add_component(event)
    calendar.add_missing_timezones(
        first_date=session.starts_at.date() - timedelta(days=1),
        last_date=session.ends_at.date() + timedelta(days=1),
    )
    return bytes(calendar.to_ical())


def calendar_feed(entries: Sequence[FeedEntry]) -> bytes:
    """A subscription feed (METHOD PUBLISH): one VEVENT per session, times in UTC.

    Each event's DTSTAMP and LAST-MODIFIED are its session's last change, so the same sessions
    always give the same bytes (the route's ETag) and a client sees a change as a newer event.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("name", FEED_NAME)
    calendar.add("x-wr-calname", FEED_NAME)
    calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(FEED_REFRESH))
    for entry in entries:
        session = entry.session
        event = _event(session, stamp=entry.updated_at)
        event.add("last-modified", entry.updated_at.astimezone(UTC))
        event.start = session.starts_at.astimezone(UTC)
        event.end = session.ends_at.astimezone(UTC)
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def _event(session: Session, *, stamp: datetime) -> Event:
    canceled = session.status is SessionStatus.canceled
    event = Event()
    event.add("uid", session_uid(session))
    # Each reschedule bumps the sequence; a cancel bumps it once more.
    event.add("sequence", session.sequence + (1 if canceled else 0))
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("summary", f"Mentorship session: {session.topic}")
    event.add("description", f"Join: {session.join_url}")
    event.add("url", session.join_url)
    event.add("status", "CANCELLED" if canceled else "CONFIRMED")
    return event
