"""Scheduling settings: HH:MM hours per weekday and date, refused when inverted or overlapping."""

from datetime import date, time, timedelta

import pytest

from booking.domain.errors import InvalidSchedule
from booking.domain.schedule import END_OF_DAY, Hours, Schedule, Weekday, parse_hhmm


def test_hours_parse_hh_mm_and_24_00():
    assert parse_hhmm("09:30") == time(9, 30)
    assert parse_hhmm("24:00") == END_OF_DAY
    for bad in ("9:30", "24:01", "25:00", "12:60", "noon", "12-00", ""):
        with pytest.raises(InvalidSchedule):
            parse_hhmm(bad)


def test_inverted_or_empty_hours_are_refused():
    with pytest.raises(InvalidSchedule):
        Hours.parse("17:00", "09:00")
    with pytest.raises(InvalidSchedule):
        Hours.parse("09:00", "09:00")


def test_overlapping_hours_on_one_day_are_refused_and_touching_ones_kept_in_order():
    with pytest.raises(InvalidSchedule, match="overlap"):
        Schedule(
            "Europe/Paris",
            weekly={Weekday.mon: (Hours.parse("09:00", "12:00"), Hours.parse("11:00", "13:00"))},
        )
    kept = Schedule(
        "Europe/Paris",
        weekly={Weekday.mon: (Hours.parse("13:00", "17:00"), Hours.parse("09:00", "13:00"))},
    )
    assert [h.formatted() for h in kept.weekly[Weekday.mon]] == [
        ("09:00", "13:00"),
        ("13:00", "17:00"),
    ]


def test_an_override_replaces_the_weekday_and_an_empty_one_is_a_day_off():
    sched = Schedule(
        "Europe/Paris",
        weekly={Weekday.mon: (Hours.parse("09:00", "17:00"),)},
        overrides={date(2026, 3, 2): (), date(2026, 3, 9): (Hours.parse("14:00", "15:00"),)},
    )
    assert sched.hours_on(date(2026, 3, 2)) == ()
    assert sched.hours_on(date(2026, 3, 9)) == (Hours.parse("14:00", "15:00"),)
    assert sched.hours_on(date(2026, 3, 16)) == (Hours.parse("09:00", "17:00"),)
    assert sched.hours_on(date(2026, 3, 17)) == ()


def test_defaults_are_a_day_of_notice_and_thirty_days_ahead():
    sched = Schedule("Asia/Kolkata")
    assert (sched.notice, sched.horizon, sched.durations) == (
        timedelta(hours=24),
        timedelta(days=30),
        (60,),
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"timezone": "Mars/Olympus_Mons"},
        {"durations": (0,)},
        {"durations": ()},
        {"buffer_before": timedelta(minutes=-5)},
        {"horizon": timedelta(0)},
    ],
)
def test_impossible_settings_are_refused(changes):
    with pytest.raises(InvalidSchedule):
        Schedule(**{"timezone": "UTC", **changes})
