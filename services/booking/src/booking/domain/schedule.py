"""A mentor's scheduling settings: weekly hours and date overrides in their zone, and limits."""

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from enum import IntEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from booking.domain.booking_rules import BookingRules
from booking.domain.errors import InvalidSchedule

END_OF_DAY = time(23, 59, 59, 999999)
"""How 24:00 is held: the interval runs to the next midnight."""


class Weekday(IntEnum):
    mon = 0
    tue = 1
    wed = 2
    thu = 3
    fri = 4
    sat = 5
    sun = 6


@dataclass(frozen=True, order=True)
class Hours:
    """Working hours on one local day, [start, end) in wall-clock time; end may be 24:00."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise InvalidSchedule(f"{_hhmm(self.start)}–{_hhmm(self.end)} ends before it starts")

    @classmethod
    def parse(cls, start: str, end: str) -> "Hours":
        return cls(parse_hhmm(start), parse_hhmm(end))

    def formatted(self) -> tuple[str, str]:
        return _hhmm(self.start), _hhmm(self.end)


def parse_hhmm(text: str) -> time:
    """'09:30' → 09:30; '24:00' → end of day. Anything else is an InvalidSchedule."""
    try:
        hours, minutes = (int(part) for part in text.split(":"))
    except ValueError:
        raise InvalidSchedule(f"{text!r} is not HH:MM") from None
    if (
        len(text) != 5
        or (hours, minutes) != (24, 0)
        and not (0 <= hours < 24 and 0 <= minutes < 60)
    ):
        raise InvalidSchedule(f"{text!r} is not HH:MM")
    return END_OF_DAY if hours == 24 else time(hours, minutes)


def _hhmm(moment: time) -> str:
    return "24:00" if moment == END_OF_DAY else moment.strftime("%H:%M")


def checked_hours(intervals: list[Hours], *, where: str) -> tuple[Hours, ...]:
    """The intervals sorted; overlapping ones are refused."""
    ordered = sorted(intervals)
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.start < before.end:
            raise InvalidSchedule(
                f"{where}: hours {before.formatted()} and {after.formatted()} overlap"
            )
    return tuple(ordered)


def checked_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidSchedule(f"{name!r} is not an IANA time zone") from None


@dataclass(frozen=True)
class Schedule:
    """Everything availability needs from the mentor, validated on construction."""

    timezone: str
    weekly: dict[Weekday, tuple[Hours, ...]] = field(default_factory=dict)
    overrides: dict[date, tuple[Hours, ...]] = field(default_factory=dict)
    """Hours replacing the weekly ones on a date; an empty tuple is a day off."""
    buffer_before: timedelta = timedelta(0)
    buffer_after: timedelta = timedelta(0)
    notice: timedelta = timedelta(hours=24)
    horizon: timedelta = timedelta(days=30)
    durations: tuple[int, ...] = (60,)
    """Session lengths a student may book, in minutes."""
    rules: BookingRules = field(default_factory=BookingRules)

    def __post_init__(self) -> None:
        checked_zone(self.timezone)
        weekly = {d: checked_hours(list(h), where=d.name) for d, h in self.weekly.items()}
        overrides = {d: checked_hours(list(h), where=str(d)) for d, h in self.overrides.items()}
        object.__setattr__(self, "weekly", weekly)
        object.__setattr__(self, "overrides", overrides)
        if min(self.buffer_before, self.buffer_after, self.notice) < timedelta(0):
            raise InvalidSchedule("buffers and notice cannot be negative")
        if self.horizon <= timedelta(0):
            raise InvalidSchedule("the booking horizon must be at least a day")
        if not self.durations or any(d <= 0 or d > 480 for d in self.durations):
            raise InvalidSchedule("durations must be between 1 and 480 minutes")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def hours_on(self, day: date) -> tuple[Hours, ...]:
        if day in self.overrides:
            return self.overrides[day]
        return self.weekly.get(Weekday(day.weekday()), ())

    def offers(self, duration_minutes: int) -> bool:
        return duration_minutes in self.durations
