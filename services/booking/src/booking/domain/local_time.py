"""Wall-clock times in a mentor's zone turned into instants, correct on the days clocks change."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def wall_time(instant: datetime, zone: ZoneInfo) -> datetime:
    """The naive wall-clock reading of `instant` in `zone`."""
    return instant.astimezone(zone).replace(tzinfo=None)


def first_instant_at_or_after(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The earliest instant whose wall clock in `zone` reads `day at` or later (UTC).

    A time skipped by a spring-forward gap maps to the instant the clocks jump; a time that
    occurs twice (fall back) maps to its first occurrence. 24:00 is the next midnight.
    """
    local = datetime.combine(day, at)
    first = local.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if wall_time(first, zone) == local:
        return first
    # `local` does not exist: fold=1 reads it with the offset after the gap, landing before the
    # jump; fold=0 lands after it. The jump is the first instant in between whose wall clock
    # has passed `local` (transitions fall on whole minutes).
    low = local.replace(tzinfo=zone, fold=1).astimezone(UTC)
    high = first
    while high - low > timedelta(minutes=1):
        middle = low + (high - low) / 2
        middle = middle.replace(second=0, microsecond=0)
        if middle <= low:
            break
        if wall_time(middle, zone) >= local:
            high = middle
        else:
            low = middle
    return high
