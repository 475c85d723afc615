"""The `.ics` invitation a booking confirmation carries (iCalendar 2.0, via `icalendar`)."""

from datetime import datetime
from uuid import UUID

from icalendar import Calendar, Event

PRODID = "-//Mentorship//Notifications//EN"


def session_invite(
    *,
    session_id: UUID,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    description: str,
    language: str,
    join_url: str,
    sequence: int = 0,
    stamped_at: datetime,
) -> str:
    """A REQUEST for the session, times in UTC; the UID is stable per session; the summary and
    description are in the reader's `language` (a BCP 47 tag, RFC 5545's LANGUAGE)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"session-{session_id}@mentorship")
    event.add("dtstamp", stamped_at)
    event.add("dtstart", starts_at)
    event.add("dtend", ends_at)
    event.add("sequence", sequence)
    event.add("summary", summary, parameters={"LANGUAGE": language})
    event.add("url", join_url)
    event.add("location", join_url)
    event.add("description", description, parameters={"LANGUAGE": language})
    calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical.decode()
