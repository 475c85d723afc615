"""Free slots of a mentor: working hours in their zone minus busy time, buffers, notice, horizon.

Pure computation: the caller passes the busy intervals (sessions with their buffers, live slot
holds, calendar busy time) and the current instant. Slots start at the beginning of each
working interval and follow one another every `duration`, in elapsed time, so a day the clocks
change has no slot at a time that does not exist and none twice at the same instant.
"""

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from booking.domain.errors import (
    DurationNotOffered,
    InvalidRange,
    SlotNotOffered,
    TimeSlotUnavailable,
    TooManySlots,
)
from booking.domain.local_time import first_instant_at_or_after
from booking.domain.schedule import END_OF_DAY, Hours, Schedule

MAX_RANGE = timedelta(days=31)
MAX_SLOTS = 500


@dataclass(frozen=True, order=True)
class Interval:
    """[start, end) in UTC."""

    start: datetime
    end: datetime

    def overlaps(self, other: "Interval") -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime


class BusyTime:
    """Busy intervals merged and sorted once, asked many times whether a range is free."""

    def __init__(self, intervals: Iterable[Interval]) -> None:
        merged: list[Interval] = []
        for interval in sorted(intervals):
            if merged and interval.start <= merged[-1].end:
                last = merged[-1]
                merged[-1] = Interval(last.start, max(last.end, interval.end))
            else:
                merged.append(interval)
        self._starts = [i.start for i in merged]
        self._ends = [i.end for i in merged]

    def is_free(self, start: datetime, end: datetime) -> bool:
        first_ending_later = bisect_right(self._ends, start)
        return first_ending_later == len(self._ends) or self._starts[first_ending_later] >= end


def blocked_by(schedule: Schedule, start: datetime, end: datetime) -> Interval:
    """The time a session [start, end) keeps from others: itself and its buffers."""
    return Interval(start - schedule.buffer_before, end + schedule.buffer_after)


def working_intervals(schedule: Schedule, first: date, last: date) -> Iterator[Interval]:
    """The mentor's working hours on each local date from `first` to `last`, as instants."""
    zone = schedule.zone
    day = first
    while day <= last:
        for hours in schedule.hours_on(day):
            yield Interval(*_instants(day, hours, zone))
        day += timedelta(days=1)


def _instants(day: date, hours: Hours, zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = first_instant_at_or_after(day, hours.start, zone)
    if hours.end == END_OF_DAY:
        return start, first_instant_at_or_after(day + timedelta(days=1), time(0, 0), zone)
    return start, first_instant_at_or_after(day, hours.end, zone)


def check_request(
    schedule: Schedule, *, start: datetime, end: datetime, duration_minutes: int
) -> None:
    """Refuse a duration the mentor does not offer or an empty range."""
    if not schedule.offers(duration_minutes):
        offered = sorted(schedule.durations)
        raise DurationNotOffered(
            f"{duration_minutes} min is not offered (offered: {offered})",
            extra={"offered_durations": offered},
        )
    if end <= start:
        raise InvalidRange("the range must end after it starts")


def free_slots(
    schedule: Schedule,
    *,
    start: datetime,
    end: datetime,
    duration_minutes: int,
    busy: BusyTime,
    now: datetime,
    limit: int | None = MAX_SLOTS,
) -> list[Slot]:
    """Bookable slots starting in [start, end); more than `limit` is a TooManySlots refusal."""
    check_request(schedule, start=start, end=end, duration_minutes=duration_minutes)
    if limit is not None and end - start > MAX_RANGE:
        raise InvalidRange(f"at most {MAX_RANGE.days} days at a time")
    length = timedelta(minutes=duration_minutes)
    earliest = max(start, now + schedule.notice)
    latest = min(end, now + schedule.horizon)
    zone = schedule.zone
    first_day = start.astimezone(zone).date() - timedelta(days=1)
    last_day = end.astimezone(zone).date()
    slots: list[Slot] = []
    for working in working_intervals(schedule, first_day, last_day):
        slot_start = working.start
        if slot_start < earliest:  # the slots before `earliest`, skipped in one step
            slot_start += length * -((working.start - earliest) // length)
        while slot_start + length <= working.end and slot_start < latest:
            slot_end = slot_start + length
            blocked = blocked_by(schedule, slot_start, slot_end)
            if busy.is_free(blocked.start, blocked.end):
                slots.append(Slot(slot_start, slot_end))
                if limit is not None and len(slots) > limit:
                    raise TooManySlots(f"more than {limit} slots; ask for a shorter range")
            slot_start = slot_end
    return slots


def check_bookable(
    schedule: Schedule,
    *,
    start: datetime,
    duration_minutes: int,
    busy: BusyTime,
    now: datetime,
) -> Slot:
    """The slot if a student may book it now; otherwise why not."""
    offered = free_slots(
        schedule,
        start=start,
        end=start + timedelta(minutes=1),
        duration_minutes=duration_minutes,
        busy=BusyTime([]),
        now=now,
    )
    if not offered or offered[0].start != start:
        raise SlotNotOffered(
            f"{start.astimezone(UTC).isoformat()} is not a slot of the mentor's hours, "
            "notice or horizon"
        )
    slot = offered[0]
    check_free(schedule, slot, busy=busy)
    return slot


def check_free(schedule: Schedule, slot: Slot, *, busy: BusyTime) -> None:
    """Refuse a slot that `busy` takes, its buffers included."""
    blocked = blocked_by(schedule, slot.start, slot.end)
    if not busy.is_free(blocked.start, blocked.end):
        raise TimeSlotUnavailable("that time was just taken")


@dataclass(frozen=True)
class AvailabilitySummary:
    next_available_at: datetime | None
    available_days: list[date]


def summarize(
    schedule: Schedule,
    *,
    busy: BusyTime,
    now: datetime,
    allows: Callable[[datetime], bool] | None = None,
) -> AvailabilitySummary:
    """The next free slot and the local dates with any free slot, over the whole horizon;
    `allows`: whether the mentor's rules still take a session starting then."""
    slots = free_slots(
        schedule,
        start=now,
        end=now + schedule.horizon,
        duration_minutes=min(schedule.durations),
        busy=busy,
        now=now,
        limit=None,
    )
    if allows is not None:
        slots = [slot for slot in slots if allows(slot.start)]
    zone = schedule.zone
    days = sorted({slot.start.astimezone(zone).date() for slot in slots})
    return AvailabilitySummary(slots[0].start if slots else None, days)
