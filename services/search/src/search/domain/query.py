"""What a directory search asks for, and the time window an availability filter means."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from search.domain.experience import ExperienceLevel

DAY = timedelta(days=1)
DAY_SECONDS = 86_400
MAX_PER_PAGE = 100
MAX_SUGGESTIONS = 10


class SortOrder(StrEnum):
    relevance = "relevance"
    rating = "rating"
    price_asc = "price_asc"
    price_desc = "price_desc"
    next_available = "next_available"


class AvailabilityWindow(StrEnum):
    today = "today"
    week = "week"
    month = "month"


WINDOW_DAYS = {
    AvailabilityWindow.today: 1,
    AvailabilityWindow.week: 7,
    AvailabilityWindow.month: 30,
}


@dataclass(frozen=True)
class TimeRange:
    """Epoch seconds, start inclusive, end exclusive."""

    start: int
    end: int


def window_range(window: AvailabilityWindow, *, timezone: str, now: datetime) -> TimeRange:
    """From now to the end of the caller's day (today), or of their 7th or 30th day."""
    local_midnight = datetime.combine(now.astimezone(ZoneInfo(timezone)).date(), time())
    end = local_midnight.replace(tzinfo=ZoneInfo(timezone)) + WINDOW_DAYS[window] * DAY
    # `+ DAY` on an aware datetime is wall-clock arithmetic: a DST day stays a calendar day.
    return TimeRange(start=int(now.timestamp()), end=int(end.timestamp()))


def available_in(
    *, window: TimeRange, next_available_ts: int | None, day_starts: tuple[int, ...]
) -> bool:
    """A mentor is available in the window if their next free slot or one of their days is.

    A day (in the mentor's zone) overlaps the window when it starts less than 24 h before
    the window's start and before its end; both backends apply this same rule.
    """
    if next_available_ts is not None and window.start <= next_available_ts < window.end:
        return True
    return any(window.start - DAY_SECONDS < start < window.end for start in day_starts)


@dataclass(frozen=True)
class MentorSearch:
    q: str = ""
    job_family: str | None = None
    min_price: int | None = None
    max_price: int | None = None
    experience_levels: tuple[ExperienceLevel, ...] = ()
    available: TimeRange | None = None
    accepting_students: bool | None = None
    specialties: tuple[str, ...] = ()
    sort: SortOrder = SortOrder.relevance
    page: int = 1
    per_page: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page
