"""Rules a mentor sets on their bookings: how many sessions a day (all students), a week and a
month (each student), and how late and how often a student may reschedule.

Days, weeks (Monday to Sunday) and months are the mentor's local ones, read off the wall clock
in their zone, so a day of 23 or 25 hours (a DST change) is still one day.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from booking.domain.errors import (
    DailyLimitReached,
    MonthlyLimitReached,
    RescheduleLimitReached,
    RescheduleTooLate,
    WeeklyLimitReached,
)
from booking.domain.local_time import first_instant_at_or_after, wall_time
from booking.domain.sessions import Actor, Session
from shared.errors import DomainError


@dataclass(frozen=True)
class BookingRules:
    """None: no limit (the default of each)."""

    sessions_per_day: int | None = None
    """Sessions of the mentor (all students) starting on one local day."""
    sessions_per_student_week: int | None = None
    """Sessions of one student with the mentor starting in one local week (Monday–Sunday)."""
    sessions_per_student_month: int | None = None
    reschedule_notice: timedelta | None = None
    """A student may not move a session that starts sooner than this."""
    reschedules_per_session: int | None = None
    """How many times a student may move one session."""

    @property
    def counts_sessions(self) -> bool:
        """Whether a booking must count the sessions already booked."""
        limits = (self.sessions_per_day, self.sessions_per_student_week)
        return any(limit is not None for limit in (*limits, self.sessions_per_student_month))

    def check_reschedule(self, session: Session, *, by: Actor, now: datetime) -> None:
        """A student's move of `session` now; the mentor who set the rules is not bound."""
        if by is not Actor.student:
            return
        notice = self.reschedule_notice
        if notice is not None and session.starts_at - now < notice:
            hours = notice.total_seconds() / 3600
            raise RescheduleTooLate(
                f"the mentor takes no reschedule within {hours:g} hours of the start"
            )
        limit = self.reschedules_per_session
        if limit is not None and session.sequence >= limit:
            # `sequence` counts the session's reschedules (only a reschedule bumps it).
            raise RescheduleLimitReached(f"this session was rescheduled {limit} time(s) already")


class Booked(NamedTuple):
    """A live session (not canceled) that counts against the rules."""

    starts_at: datetime
    student_id: str


def counting_window(start: datetime, end: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Every local day, week and month that a session starting in [start, end] falls in:
    the sessions starting in it are all a ledger needs."""
    first, last = wall_time(start, zone).date(), wall_time(end, zone).date()
    earliest = min(first.replace(day=1), first - timedelta(days=first.weekday()))
    latest = max(_next_month(last), last + timedelta(days=7 - last.weekday()))
    return _midnight(earliest, zone), _midnight(latest, zone)


class RuleLedger:
    """The sessions already booked, counted per local day, and per week and month for each
    student: which start the rules still allow."""

    def __init__(self, rules: BookingRules, *, zone: ZoneInfo, booked: Iterable[Booked]) -> None:
        self._rules = rules
        self._zone = zone
        self._days: Counter[date] = Counter()
        self._weeks: Counter[tuple[str, tuple[int, int]]] = Counter()
        self._months: Counter[tuple[str, tuple[int, int]]] = Counter()
        for session in booked:
            day = self._day(session.starts_at)
            self._days[day] += 1
            self._weeks[session.student_id, _week(day)] += 1
            self._months[session.student_id, _month(day)] += 1

    def refusal(self, starts_at: datetime, *, student_id: str | None) -> DomainError | None:
        """Why one more session starting then may not be booked; None if it may.

        Without a student (an anonymous read) only the mentor's daily limit applies.
        """
        rules, day = self._rules, self._day(starts_at)
        if rules.sessions_per_day is not None and self._days[day] >= rules.sessions_per_day:
            return DailyLimitReached(
                f"the mentor takes at most {rules.sessions_per_day} session(s) a day"
            )
        if student_id is None:
            return None
        weekly = rules.sessions_per_student_week
        if weekly is not None and self._weeks[student_id, _week(day)] >= weekly:
            return WeeklyLimitReached(f"the mentor takes at most {weekly} session(s) a week")
        monthly = rules.sessions_per_student_month
        if monthly is not None and self._months[student_id, _month(day)] >= monthly:
            return MonthlyLimitReached(f"the mentor takes at most {monthly} session(s) a month")
        return None

    def check(self, starts_at: datetime, *, student_id: str) -> None:
        if (refused := self.refusal(starts_at, student_id=student_id)) is not None:
            raise refused

    def allows(self, starts_at: datetime, *, student_id: str | None) -> bool:
        return self.refusal(starts_at, student_id=student_id) is None

    def _day(self, instant: datetime) -> date:
        return wall_time(instant, self._zone).date()


def _week(day: date) -> tuple[int, int]:
    year, week, _ = day.isocalendar()
    return year, week


def _month(day: date) -> tuple[int, int]:
    return day.year, day.month


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return first_instant_at_or_after(day, time(0), zone)
