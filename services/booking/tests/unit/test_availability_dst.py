"""Availability against hand-computed slots on the days clocks change, and in a half-hour zone."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from booking.domain.availability import BusyTime, Interval, free_slots
from booking.domain.errors import DurationNotOffered, InvalidRange, TooManySlots
from booking.domain.schedule import Hours, Schedule, Weekday

NO_BUSY = BusyTime([])


def schedule(zone: str, *, day: Weekday, hours: list[tuple[str, str]], **kwargs) -> Schedule:
    return Schedule(
        zone,
        weekly={day: tuple(Hours.parse(a, b) for a, b in hours)},
        notice=timedelta(0),
        **kwargs,
    )


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def slots_on(sched: Schedule, day: date, *, duration: int = 60, busy=NO_BUSY) -> list[datetime]:
    """Slot starts (UTC) on one local day of the mentor."""
    zone = ZoneInfo(sched.timezone)
    start = datetime.combine(day, datetime.min.time(), tzinfo=zone).astimezone(UTC)
    return [
        slot.start
        for slot in free_slots(
            sched,
            start=start - timedelta(hours=1),
            end=start + timedelta(hours=26),
            duration_minutes=duration,
            busy=busy,
            now=start - timedelta(days=2),
        )
        if slot.start.astimezone(zone).date() == day
    ]


def test_berlin_spring_forward_has_no_slot_in_the_skipped_hour():
    # 2026-03-29: 02:00 CET jumps to 03:00 CEST. Hours 01:00–05:00 last three real hours.
    sched = schedule("Europe/Berlin", day=Weekday.sun, hours=[("01:00", "05:00")])
    assert slots_on(sched, date(2026, 3, 29)) == [
        utc("2026-03-29T00:00"),  # 01:00 CET
        utc("2026-03-29T01:00"),  # 03:00 CEST (02:00 does not exist)
        utc("2026-03-29T02:00"),  # 04:00 CEST
    ]


def test_berlin_hours_starting_inside_the_gap_start_when_the_clocks_jump():
    sched = schedule("Europe/Berlin", day=Weekday.sun, hours=[("02:30", "04:00")], durations=(30,))
    assert slots_on(sched, date(2026, 3, 29), duration=30) == [
        utc("2026-03-29T01:00"),  # 03:00 CEST
        utc("2026-03-29T01:30"),  # 03:30 CEST
    ]


def test_berlin_fall_back_offers_the_repeated_hour_once_per_real_hour():
    # 2026-10-25: 03:00 CEST falls back to 02:00 CET; 01:00–04:00 lasts four real hours.
    sched = schedule("Europe/Berlin", day=Weekday.sun, hours=[("01:00", "04:00")])
    starts = slots_on(sched, date(2026, 10, 25))
    assert starts == [
        utc("2026-10-24T23:00"),  # 01:00 CEST
        utc("2026-10-25T00:00"),  # 02:00 CEST
        utc("2026-10-25T01:00"),  # 02:00 CET (the same wall time, an hour later)
        utc("2026-10-25T02:00"),  # 03:00 CET
    ]
    assert len(set(starts)) == len(starts)


def test_new_york_spring_forward_and_fall_back():
    sched = schedule("America/New_York", day=Weekday.sun, hours=[("00:00", "04:00")])
    # 2026-03-08: 02:00 EST jumps to 03:00 EDT.
    assert slots_on(sched, date(2026, 3, 8)) == [
        utc("2026-03-08T05:00"),  # 00:00 EST
        utc("2026-03-08T06:00"),  # 01:00 EST
        utc("2026-03-08T07:00"),  # 03:00 EDT
    ]
    # 2026-11-01: 02:00 EDT falls back to 01:00 EST.
    assert slots_on(sched, date(2026, 11, 1)) == [
        utc("2026-11-01T04:00"),  # 00:00 EDT
        utc("2026-11-01T05:00"),  # 01:00 EDT
        utc("2026-11-01T06:00"),  # 01:00 EST
        utc("2026-11-01T07:00"),  # 02:00 EST
        utc("2026-11-01T08:00"),  # 03:00 EST
    ]


def test_new_york_working_hours_keep_their_wall_clock_across_the_change():
    # 09:00–11:00 is 14:00 UTC the Sunday before and 13:00 UTC the Sunday after spring forward.
    sched = schedule("America/New_York", day=Weekday.sun, hours=[("09:00", "11:00")])
    assert slots_on(sched, date(2026, 3, 1)) == [utc("2026-03-01T14:00"), utc("2026-03-01T15:00")]
    assert slots_on(sched, date(2026, 3, 8)) == [utc("2026-03-08T13:00"), utc("2026-03-08T14:00")]


def test_kolkata_half_hour_offset():
    # Asia/Kolkata is UTC+05:30 all year: 09:30 is 04:00 UTC.
    sched = schedule("Asia/Kolkata", day=Weekday.mon, hours=[("09:30", "12:00")], durations=(45,))
    assert slots_on(sched, date(2026, 3, 2), duration=45) == [
        utc("2026-03-02T04:00"),
        utc("2026-03-02T04:45"),
        utc("2026-03-02T05:30"),
    ]


def test_busy_time_buffers_notice_and_horizon_remove_slots():
    sched = schedule(
        "Europe/Berlin",
        day=Weekday.mon,
        hours=[("09:00", "13:00")],
        buffer_before=timedelta(minutes=15),
        buffer_after=timedelta(minutes=15),
    )
    # A session 10:00–11:00 CET (09:00–10:00 UTC) with its own buffers 09:45–11:15.
    busy = BusyTime([Interval(utc("2026-03-02T08:45"), utc("2026-03-02T10:15"))])
    # 09:00 ends 10:00 + 15 min buffer > 09:45; 11:00 starts at 10:45 with its buffer < 11:15.
    assert slots_on(sched, date(2026, 3, 2), busy=busy) == [utc("2026-03-02T11:00")]

    start = utc("2026-03-02T00:00")
    with_notice = Schedule(
        "Europe/Berlin",
        weekly={Weekday.mon: (Hours.parse("09:00", "13:00"),)},
        notice=timedelta(hours=2),
        horizon=timedelta(days=1),
    )
    now = utc("2026-03-02T08:30")  # 09:30 CET: the first slot ≥ 11:30 CET is 12:00 CET
    slots = free_slots(
        with_notice,
        start=start,
        end=start + timedelta(days=14),
        duration_minutes=60,
        busy=NO_BUSY,
        now=now,
    )
    assert [s.start for s in slots] == [utc("2026-03-02T11:00")]


def test_range_duration_and_size_limits_are_refused():
    sched = schedule("UTC", day=Weekday.mon, hours=[("00:00", "24:00")], durations=(5,))
    start = utc("2026-03-02T00:00")
    with pytest.raises(InvalidRange):
        free_slots(
            sched,
            start=start,
            end=start + timedelta(days=40),
            duration_minutes=5,
            busy=NO_BUSY,
            now=start,
        )
    with pytest.raises(InvalidRange):
        free_slots(sched, start=start, end=start, duration_minutes=5, busy=NO_BUSY, now=start)
    with pytest.raises(DurationNotOffered):
        free_slots(
            sched,
            start=start,
            end=start + timedelta(days=1),
            duration_minutes=0,
            busy=NO_BUSY,
            now=start,
        )
    with pytest.raises(TooManySlots):  # 288 five-minute slots a Monday, two Mondays
        free_slots(
            sched,
            start=start,
            end=start + timedelta(days=8),
            duration_minutes=5,
            busy=NO_BUSY,
            now=start - timedelta(days=1),
        )
