"""What a mentor's calendar says: busy time and its status, and a session as an event."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from booking.domain.availability import Interval


class CalendarStatus(StrEnum):
    not_connected = "not_connected"
    ok = "ok"
    unavailable = "unavailable"  # connected, but the provider did not answer: nothing is free


@dataclass(frozen=True)
class CalendarBusy:
    status: CalendarStatus
    intervals: list[Interval] = field(default_factory=list)


@dataclass(frozen=True)
class CalendarEntry:
    """A session as it appears in the mentor's own calendar."""

    session_id: UUID
    starts_at: datetime
    ends_at: datetime
    timezone: str
    summary: str
    description: str
