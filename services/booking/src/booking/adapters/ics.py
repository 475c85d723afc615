"""A session as an iCalendar invite (RFC 5545) built with the icalendar library."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from booking.domain.sessions import Session, SessionStatus

PRODID = "-//Mentorship platform//booking//EN"
UID_DOMAIN = "booking.mentorship"


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
    event = Event()
    event.add("uid", session_uid(session))
    # Each reschedule bumps the sequence; a cancel bumps it once more.
    event.add("sequence", session.sequence + (1 if canceled else 0))
    event.add("dtstamp", stamp)
    event.add("summary", f"Mentorship session: {session.topic}")
    event.add("description", f"Join: {session.join_url}")
    event.add("url", session.join_url)
    event.add("status", "CANCELLED" if canceled else "CONFIRMED")
    zone = ZoneInfo(session.mentor_timezone)
    event.start = session.starts_at.astimezone(zone)
    event.end = session.ends_at.astimezone(zone)
    calendar.add_component(event)
    calendar.add_missing_timezones(
        first_date=session.starts_at.date() - timedelta(days=1),
        last_date=session.ends_at.date() + timedelta(days=1),
    )
    return bytes(calendar.to_ical())
