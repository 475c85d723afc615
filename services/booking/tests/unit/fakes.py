"""Booking's repositories in memory, on the kernel's fake unit of work: use cases without Postgres.

They answer as the SQL ones do (`booking.adapters.repositories`), minus the locks and the
exclusion constraint's concurrency: what depends on those stays in the integration tests.
"""

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from booking.adapters.repositories import (
    BookingCheck,
    DueReminder,
    KeyedBooking,
    MentorTime,
    ReminderKey,
)
from booking.domain.availability import Interval, blocked_by
from booking.domain.booking_rules import Booked, BookingRules
from booking.domain.calendar_feed import FeedEntry, FeedOwner, FeedRole, FeedWindow
from booking.domain.schedule import Schedule
from booking.domain.sessions import Session, SessionStatus
from booking.domain.student_packs import PackStatus
from shared.clock import Clock
from shared.testing.fakes import FakeUnitOfWork


class FakeSessions:
    def __init__(self) -> None:
        self.rows: dict[UUID, Session] = {}
        self.blocked: dict[UUID, Interval] = {}
        self.keys: dict[tuple[str, str], tuple[UUID, str]] = {}

    def put(self, session: Session, *, blocked: Interval | None = None) -> Session:
        self.rows[session.id] = replace(session)
        self.blocked[session.id] = blocked or Interval(session.starts_at, session.ends_at)
        return session

    async def by_idempotency_key(self, *, student_id: str, key: str) -> KeyedBooking | None:
        found = self.keys.get((student_id, key))
        if found is None:
            return None
        session_id, fingerprint = found
        return KeyedBooking(replace(self.rows[session_id]), fingerprint)

    async def get(self, session_id: UUID, *, lock: bool = False) -> Session | None:
        session = self.rows.get(session_id)
        return None if session is None else replace(session)

    async def save(self, session: Session, *, now: datetime) -> None:
        stored = self.rows[session.id]
        self.rows[session.id] = replace(
            session, starts_at=stored.starts_at, ends_at=stored.ends_at, sequence=stored.sequence
        )

    async def move(self, session: Session, *, blocked: Interval, now: datetime) -> bool:
        if self.overlaps(session, blocked):
            return False
        self.put(session, blocked=blocked)
        return True

    async def future_of_pack(self, pack_id: UUID, *, now: datetime) -> list[Session]:
        found = [
            replace(s)
            for s in self.rows.values()
            if s.pack_id == pack_id and s.status is SessionStatus.scheduled and s.starts_at > now
        ]
        return sorted(found, key=lambda s: s.starts_at)

    def live_blocked(self, mentor_id: str, *, except_session: UUID | None = None) -> list[Interval]:
        return [
            self.blocked[s.id]
            for s in self.rows.values()
            if s.mentor_id == mentor_id
            and s.status is SessionStatus.scheduled
            and s.id != except_session
        ]

    def overlaps(self, session: Session, blocked: Interval) -> bool:
        taken = self.live_blocked(session.mentor_id, except_session=session.id)
        return any(blocked.overlaps(other) for other in taken)


class FakeHolds:
    def __init__(self) -> None:
        self.rows: dict[UUID, tuple[str, str, Interval, datetime]] = {}
        """Hold id → (mentor, student, blocked, expires at)."""

    async def add(
        self,
        *,
        hold_id: UUID,
        mentor_id: str,
        student_id: str,
        slot: Interval,
        blocked: Interval,
        expires_at: datetime,
        now: datetime,
    ) -> bool:
        for other, (mentor, student, held, until) in list(self.rows.items()):
            if mentor == mentor_id and held.overlaps(blocked):
                if until <= now or student == student_id:
                    del self.rows[other]
                else:
                    return False
        self.rows[hold_id] = (mentor_id, student_id, blocked, expires_at)
        return True


class FakeBusy:
    def __init__(self, sessions: FakeSessions, holds: FakeHolds) -> None:
        self._sessions = sessions
        self._holds = holds

    async def intervals(
        self,
        *,
        mentor_id: str,
        during: Interval,
        now: datetime,
        student_id: str | None = None,
        except_session: UUID | None = None,
    ) -> list[Interval]:
        taken = self._sessions.live_blocked(mentor_id, except_session=except_session)
        held = [
            blocked
            for mentor, student, blocked, until in self._holds.rows.values()
            if mentor == mentor_id and until > now and student != student_id
        ]
        return [interval for interval in [*taken, *held] if interval.overlaps(during)]


class FakeReminders:
    def __init__(self, sessions: FakeSessions) -> None:
        self._sessions = sessions
        self.due_at: dict[ReminderKey, datetime] = {}
        self.sent: dict[ReminderKey, datetime] = {}

    async def plan(
        self,
        *,
        session_id: UUID,
        sequence: int,
        due: list[tuple[int, datetime]],
    ) -> None:
        await self.drop_unsent(session_id)
        for offset, at in due:
            self.due_at.setdefault(ReminderKey(session_id, sequence, offset), at)

    async def drop_unsent(self, session_id: UUID) -> None:
        for key in list(self.due_at):
            if key.session_id == session_id and key not in self.sent:
                del self.due_at[key]

    def unsent(self, session_id: UUID) -> dict[int, datetime]:
        """Offset minutes → due at, of the session's unsent reminders."""
        return {
            key.offset_minutes: at
            for key, at in self.due_at.items()
            if key.session_id == session_id and key not in self.sent
        }

    async def due(self, *, now: datetime, limit: int) -> list[ReminderKey]:
        found = sorted((at, key) for key, at in self.due_at.items() if self._due(key, now))
        return [key for _, key in found[:limit]]

    async def claim(self, key: ReminderKey, *, now: datetime) -> DueReminder | None:
        if key not in self.due_at or not self._due(key, now):
            return None
        return DueReminder(key, self._sessions.rows[key.session_id].starts_at)

    async def mark_sent(self, key: ReminderKey, *, now: datetime) -> None:
        self.sent[key] = now

    def _due(self, key: ReminderKey, now: datetime) -> bool:
        session = self._sessions.rows[key.session_id]
        return (
            key not in self.sent
            and self.due_at[key] <= now
            and key.sequence == session.sequence
            and session.status is SessionStatus.scheduled
        )


class FakeMentors:
    def __init__(self) -> None:
        self.schedules: dict[str, Schedule] = {}
        self.profiles: dict[str, dict[str, Any]] = {}
        self.changed: set[str] = set()
        self.announced: list[str] = []

    async def schedule(self, mentor_id: str) -> Schedule | None:
        return self.schedules.get(mentor_id)

    async def profile(self, mentor_id: str, *, lock: bool = False) -> dict[str, Any] | None:
        profile = self.profiles.get(mentor_id)
        return None if profile is None else dict(profile)

    async def upsert(
        self, mentor_id: str, *, fields: dict[str, Any], now: datetime
    ) -> dict[str, Any]:
        stored = {**self.profiles.get(mentor_id, {}), "mentor_id": mentor_id, **fields}
        self.profiles[mentor_id] = stored
        return dict(stored)

    async def with_changed_sessions(self, *, limit: int) -> list[str]:
        return sorted(self.changed)[:limit]

    async def claim_changed(self, mentor_id: str) -> Schedule | None:
        return self.schedules.get(mentor_id) if mentor_id in self.changed else None

    async def mark_announced(self, mentor_id: str) -> None:
        self.changed.discard(mentor_id)
        self.announced.append(mentor_id)


class FakeReviews:
    def __init__(self) -> None:
        self.rows: dict[UUID, tuple[str, int]] = {}
        """Session id → (mentor, rating)."""

    async def add(
        self,
        *,
        review_id: UUID,
        session_id: UUID,
        mentor_id: str,
        student_id: str,
        rating: int,
        comment: str,
        now: datetime,
    ) -> bool:
        if session_id in self.rows:
            return False
        self.rows[session_id] = (mentor_id, rating)
        return True

    async def rating_of(self, mentor_id: str) -> tuple[float | None, int]:
        ratings = [rating for mentor, rating in self.rows.values() if mentor == mentor_id]
        if not ratings:
            return None, 0
        return round(sum(ratings) / len(ratings), 2), len(ratings)


class FakePacksProjection:
    def __init__(self) -> None:
        self.expiries: dict[UUID, datetime] = {}

    async def upsert_pack(self, *, pack_id: UUID, expires_at: datetime, **_: Any) -> None:
        self.expiries[pack_id] = max(expires_at, self.expiries.get(pack_id, expires_at))

    async def set_pack_status(self, *, pack_id: UUID, status: PackStatus, at: datetime) -> None:
        pass

    async def set_seat(self, **_: Any) -> None:
        pass

    async def set_capacity(self, **_: Any) -> None:
        pass

    async def pack_expiry(self, pack_id: UUID) -> datetime | None:
        return self.expiries.get(pack_id)


class FakeCreditReleases:
    def __init__(self) -> None:
        self.pending_ids: dict[UUID, int] = {}
        """Session id → failed attempts."""

    async def remember(self, session_id: UUID, *, error: str, now: datetime) -> None:
        self.pending_ids.setdefault(session_id, 1)

    async def pending(self, *, limit: int) -> list[UUID]:
        return list(self.pending_ids)[:limit]

    async def claim(self, session_id: UUID) -> bool:
        return session_id in self.pending_ids

    async def forget(self, session_id: UUID) -> None:
        self.pending_ids.pop(session_id, None)

    async def count_failure(self, session_id: UUID, *, error: str) -> None:
        self.pending_ids[session_id] += 1


class FakeCalendarFeeds:
    def __init__(self, sessions: FakeSessions) -> None:
        self._sessions = sessions
        self.rows: dict[str, tuple[FeedOwner, str, datetime]] = {}
        """User id → (owner, token hash, created at)."""
        self.updated_at: dict[UUID, datetime] = {}
        """Session id → its last change; `created_at` of the feed when not set."""

    async def replace(self, owner: FeedOwner, *, token_hash: str, now: datetime) -> None:
        self.rows[owner.user_id] = (owner, token_hash, now)

    async def revoke(self, user_id: str) -> bool:
        return self.rows.pop(user_id, None) is not None

    async def owner_of(self, token_hash: str) -> tuple[FeedOwner, datetime] | None:
        for owner, stored, created_at in self.rows.values():
            if stored == token_hash:
                return owner, created_at
        return None

    async def entries(self, owner: FeedOwner, *, window: FeedWindow, limit: int) -> list[FeedEntry]:
        created_at = self.rows[owner.user_id][2]
        found = [
            FeedEntry(replace(s), self.updated_at.get(s.id, created_at))
            for s in self._sessions.rows.values()
            if (s.mentor_id if owner.role is FeedRole.mentor else s.student_id) == owner.user_id
            and s.starts_at >= window.starts_from
            and (
                s.status is not SessionStatus.canceled
                or (s.canceled_at is not None and s.canceled_at >= window.canceled_since)
            )
        ]
        found.sort(key=lambda e: (e.session.starts_at, str(e.session.id)))
        return found[-limit:]


class FakeBookings:
    """The booking saga's check and insert, on the other fakes."""

    def __init__(self, uow: "FakeBookingUnitOfWork") -> None:
        self._uow = uow

    async def check(
        self, *, mentor_id: str, student_id: str, key: str, slot: Interval, now: datetime
    ) -> BookingCheck:
        uow = self._uow
        schedule = uow.mentors.schedules.get(mentor_id)
        around = slot if schedule is None else blocked_by(schedule, slot.start, slot.end)
        return BookingCheck(
            earlier=await uow.sessions.by_idempotency_key(student_id=student_id, key=key),
            schedule=schedule,
            busy=await uow.busy.intervals(
                mentor_id=mentor_id, during=around, now=now, student_id=student_id
            ),
        )

    async def mentor_time(
        self, *, mentor_id: str, during: Interval, now: datetime
    ) -> MentorTime | None:
        schedule = self._uow.mentors.schedules.get(mentor_id)
        if schedule is None:
            return None
        margin = schedule.buffer_before + schedule.buffer_after + timedelta(days=1)
        around = Interval(during.start - margin, during.end + margin)
        busy = await self._uow.busy.intervals(mentor_id=mentor_id, during=around, now=now)
        return MentorTime(schedule, busy)

    async def insert(
        self,
        session: Session,
        *,
        blocked: Interval,
        idempotency_key: str,
        fingerprint: str,
        reminders: list[tuple[int, datetime]],
        now: datetime,
    ) -> bool:
        sessions = self._uow.sessions
        key = (session.student_id, idempotency_key)
        if key in sessions.keys or sessions.overlaps(session, blocked):
            return False
        sessions.put(session, blocked=blocked)
        sessions.keys[key] = (session.id, fingerprint)
        for hold_id, (mentor, student, _, _) in list(self._uow.holds.rows.items()):
            if (mentor, student) == (session.mentor_id, session.student_id):
                del self._uow.holds.rows[hold_id]
        await self._uow.reminders.plan(
            session_id=session.id, sequence=session.sequence, due=reminders
        )
        return True

    async def booked(
        self, *, mentor_id: str, during: Interval, except_session: UUID | None = None
    ) -> list[Booked]:
        return [
            Booked(s.starts_at, s.student_id)
            for s in self._uow.sessions.rows.values()
            if s.mentor_id == mentor_id
            and s.status is not SessionStatus.canceled
            and during.start <= s.starts_at < during.end
            and s.id != except_session
        ]

    async def lock_rules(self, mentor_id: str) -> BookingRules | None:
        schedule = self._uow.mentors.schedules.get(mentor_id)
        return None if schedule is None else schedule.rules


class FakeBookingUnitOfWork(FakeUnitOfWork):
    """`BookingUnitOfWork` in memory; also what `Dependencies.own_unit` opens in a unit test."""

    def __init__(self, *, clock: Clock | None = None) -> None:
        super().__init__(producer="booking", clock=clock)
        self.sessions = FakeSessions()
        self.bookings = FakeBookings(self)
        self.holds = FakeHolds()
        self.busy = FakeBusy(self.sessions, self.holds)
        self.reminders = FakeReminders(self.sessions)
        self.mentors = FakeMentors()
        self.reviews = FakeReviews()
        self.packs = FakePacksProjection()
        self.credit_releases = FakeCreditReleases()
        self.calendar_feeds = FakeCalendarFeeds(self.sessions)
