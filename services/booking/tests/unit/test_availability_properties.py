"""Property: no slot touches busy time, buffers, notice or horizon; all lie in working hours."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from booking.domain.availability import BusyTime, Interval, blocked_by, free_slots
from booking.domain.local_time import wall_time
from booking.domain.schedule import Hours, Schedule, Weekday

ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"]
BASE = datetime(2026, 3, 1, tzinfo=UTC)  # a month with spring-forward in NY and Berlin


@st.composite
def day_hours(draw) -> tuple[Hours, ...]:
    cuts = sorted(draw(st.sets(st.integers(0, 47), max_size=6)))
    pairs = list(zip(cuts[::2], cuts[1::2], strict=False))
    return tuple(
        Hours.parse(f"{a // 2:02d}:{30 * (a % 2):02d}", f"{b // 2:02d}:{30 * (b % 2):02d}")
        for a, b in pairs
    )


@st.composite
def schedules(draw) -> Schedule:
    return Schedule(
        draw(st.sampled_from(ZONES)),
        weekly={day: draw(day_hours()) for day in Weekday},
        buffer_before=timedelta(minutes=draw(st.sampled_from([0, 5, 15]))),
        buffer_after=timedelta(minutes=draw(st.sampled_from([0, 10, 30]))),
        notice=timedelta(hours=draw(st.integers(0, 48))),
        horizon=timedelta(days=draw(st.integers(1, 30))),
        durations=(draw(st.sampled_from([15, 30, 45, 60, 90])),),
    )


busy_lists = st.lists(
    st.tuples(st.integers(0, 31 * 24 * 4), st.integers(1, 16)).map(
        lambda p: Interval(
            BASE + timedelta(minutes=15 * p[0]), BASE + timedelta(minutes=15 * (p[0] + p[1]))
        )
    ),
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(sched=schedules(), busy=busy_lists, now_offset=st.integers(0, 24 * 10))
def test_every_slot_is_free_in_hours_and_within_notice_and_horizon(sched, busy, now_offset):
    now = BASE + timedelta(hours=now_offset)
    [duration] = sched.durations
    slots = free_slots(
        sched,
        start=BASE,
        end=BASE + timedelta(days=31),
        duration_minutes=duration,
        busy=BusyTime(busy),
        now=now,
        limit=None,
    )
    zone = ZoneInfo(sched.timezone)
    starts = [slot.start for slot in slots]
    assert len(set(starts)) == len(starts)
    for slot in slots:
        assert slot.end - slot.start == timedelta(minutes=duration)
        assert now + sched.notice <= slot.start < now + sched.horizon
        blocked = blocked_by(sched, slot.start, slot.end)
        assert not any(blocked.overlaps(b) for b in busy)
        # Its first and last minute read as wall times inside one working interval of its day.
        local_start = wall_time(slot.start, zone)
        local_last = wall_time(slot.end - timedelta(minutes=1), zone)
        day = local_start.date()
        assert local_last.date() == day
        assert any(
            h.start <= local_start.time() and local_last.time() < h.end for h in sched.hours_on(day)
        )
