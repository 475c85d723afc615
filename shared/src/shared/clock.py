"""Time for every rule comes from a clock, so tests (and the dev clock) can move it."""

import re
from datetime import UTC, datetime, timedelta
from typing import Protocol

# The dev clock moves at most this far from real time, either way (decision 0016).
MAX_OFFSET = timedelta(days=3650)


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class OffsetClock:
    """Real time plus an offset: the dev clock. Its watcher moves `offset`; `now()` stays cheap."""

    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


class FakeClock:
    """A clock that stands still until moved."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        self._now += delta
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = moment


class InvalidDuration(ValueError):
    """Not a duration like 30m, 71h, 2d, 1h30m or -2h."""


_DURATION = re.compile(
    r"(?P<sign>[+-]?)(?=\d)(?:(?P<d>\d+)d)?(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?(?:(?P<s>\d+)s)?"
)
_UNITS = (("d", 86400), ("h", 3600), ("m", 60), ("s", 1))


def parse_duration(text: str) -> timedelta:
    """`71h`, `2d`, `1h30m`, `45s`, `-2h` (days, hours, minutes, seconds, in that order)."""
    match = _DURATION.fullmatch(text.strip().lower()) if len(text) <= 40 else None
    if match is None or not any(match.group(unit) for unit, _ in _UNITS):
        raise InvalidDuration(f"{text[:40]!r} is not a duration like 30m, 71h, 2d or 1h30m")
    seconds = sum(int(match.group(unit) or 0) * size for unit, size in _UNITS)
    if seconds > MAX_OFFSET.total_seconds():
        raise InvalidDuration(f"{text[:40]!r} is longer than {MAX_OFFSET.days} days")
    return timedelta(seconds=-seconds if match.group("sign") == "-" else seconds)


def format_offset(offset: timedelta) -> str:
    """`+71h`, `-1h30m`, `+720h`, `0`: whole seconds, in hours at most (as the issue spells it)."""
    seconds = round(offset.total_seconds())
    if seconds == 0:
        return "0"
    sign, rest = ("-" if seconds < 0 else "+"), abs(seconds)
    parts = []
    for unit, size in _UNITS[1:]:
        count, rest = divmod(rest, size)
        if count:
            parts.append(f"{count}{unit}")
    return sign + "".join(parts)
