"""The repositories booking's use cases reach their data through: ports, implemented in SQL by
the adapter modules of this package and in memory by the unit tests' fakes."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple, Protocol
from uuid import UUID

from booking.domain.availability import Interval
from booking.domain.booking_rules import Booked, BookingRules
from booking.domain.calendar_feed import FeedEntry, FeedOwner, FeedWindow
from booking.domain.schedule import Schedule
from booking.domain.sessions import Session
from booking.domain.student_packs import PackStatus, SeatStatus
from shared.uow import RecordsEvents


class KeyedBooking(NamedTuple):
    """A session booked under an idempotency key, with the fingerprint of that request."""

    session: Session
    fingerprint: str


class BookingCheck(NamedTuple):
    """What the booking saga reads before it asks packs, in one snapshot."""

    earlier: KeyedBooking | None
    """The session this student's idempotency key already booked."""
    schedule: Schedule | None
    """None: no such mentor."""
    busy: list[Interval]
    """Live sessions and other students' live holds around the slot, buffers included."""


class MentorTime(NamedTuple):
    """A mentor's schedule and what takes their time in a window (availability)."""

    schedule: Schedule
    busy: list[Interval]


class ReminderKey(NamedTuple):
    session_id: UUID
    sequence: int
    offset_minutes: int


class DueReminder(NamedTuple):
    key: ReminderKey
    starts_at: datetime


class SessionRepository(Protocol):
    async def by_idempotency_key(self, *, student_id: str, key: str) -> KeyedBooking | None: ...

    async def get(self, session_id: UUID, *, lock: bool = False) -> Session | None: ...

    async def save(self, session: Session, *, now: datetime) -> None:
        """Write the session's state back (not its time; see `move`)."""
        ...

    async def move(self, session: Session, *, blocked: Interval, now: datetime) -> bool:
        """Write the new time; False if it overlaps another live session of the mentor."""
        ...

    async def future_of_pack(self, pack_id: UUID, *, now: datetime) -> list[Session]:
        """The pack's scheduled sessions that have not started, locked."""
        ...


class BookingRepository(Protocol):
    """The booking saga's reads and writes, one round trip each."""

    async def check(
        self, *, mentor_id: str, student_id: str, key: str, slot: Interval, now: datetime
    ) -> BookingCheck:
        """The earlier booking of `key`, the schedule, and what is busy around `slot`."""
        ...

    async def mentor_time(
        self, *, mentor_id: str, during: Interval, now: datetime
    ) -> MentorTime | None:
        """The schedule and the busy ranges within a day (plus buffers) of `during`; None if
        there is no such mentor."""
        ...

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
        """Insert with its reminders, dropping the student's holds with the mentor; False if
        the time overlaps a live session of the mentor or the key was used."""
        ...

    async def booked(
        self, *, mentor_id: str, during: Interval, except_session: UUID | None = None
    ) -> list[Booked]:
        """The mentor's sessions that count against their rules (not canceled) starting in
        `during`."""
        ...

    async def lock_rules(self, mentor_id: str) -> BookingRules | None:
        """The mentor's rules, their row locked until the transaction ends: bookings and
        moves of one mentor that count sessions take their turn. None: no such mentor."""
        ...


class BookingReads(Protocol):
    """A read outside any transaction (the saga's check before the packs request)."""

    @property
    def bookings(self) -> BookingRepository: ...


class BusyRepository(Protocol):
    async def intervals(
        self,
        *,
        mentor_id: str,
        during: Interval,
        now: datetime,
        student_id: str | None = None,
        except_session: UUID | None = None,
    ) -> list[Interval]:
        """Blocked ranges (buffers included) of live sessions and live holds touching `during`.

        Holds of `student_id` are left out: a student's own hold never keeps the slot from them.
        """
        ...


class HoldRepository(Protocol):
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
        """Insert after clearing ended holds in the way; False if a live hold overlaps."""
        ...


class ReminderRepository(Protocol):
    async def plan(
        self,
        *,
        session_id: UUID,
        sequence: int,
        due: list[tuple[int, datetime]],
    ) -> None:
        """Replace the session's unsent reminders with `due` (offset minutes, due at)."""
        ...

    async def drop_unsent(self, session_id: UUID) -> None: ...

    async def due(self, *, now: datetime, limit: int) -> list[ReminderKey]:
        """Due, unsent reminders of scheduled sessions, oldest first, not locked."""
        ...

    async def claim(self, key: ReminderKey, *, now: datetime) -> DueReminder | None:
        """The reminder with its session's start, locked, if still due; None if not or taken."""
        ...

    async def mark_sent(self, key: ReminderKey, *, now: datetime) -> None:
        """Done: sent, or skipped because its session had started."""
        ...


class MentorRepository(Protocol):
    async def schedule(self, mentor_id: str) -> Schedule | None: ...

    async def profile(self, mentor_id: str, *, lock: bool = False) -> dict[str, Any] | None:
        """The stored profile's columns."""
        ...

    async def upsert(
        self, mentor_id: str, *, fields: dict[str, Any], now: datetime
    ) -> dict[str, Any]:
        """Create or replace the profile; its columns as stored."""
        ...

    async def with_changed_sessions(self, *, limit: int) -> list[str]:
        """Mentors whose sessions changed since their availability was last announced."""
        ...

    async def claim_changed(self, mentor_id: str) -> Schedule | None:
        """The mentor's schedule, locked (SKIP LOCKED), if their sessions still changed."""
        ...

    async def mark_announced(self, mentor_id: str) -> None: ...


class ReviewRepository(Protocol):
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
        """False if the session has a review already."""
        ...

    async def rating_of(self, mentor_id: str) -> tuple[float | None, int]:
        """(average rating, number of reviews) of the mentor."""
        ...


class PacksProjection(Protocol):
    """Booking's projection of packs' facts; the newest fact stands whatever the order."""

    async def upsert_pack(
        self,
        *,
        pack_id: UUID,
        seat_id: UUID,
        student_id: str,
        mentor_id: str,
        sessions_total: int,
        session_minutes: int,
        expires_at: datetime,
        now: datetime,
    ) -> None: ...

    async def set_pack_status(self, *, pack_id: UUID, status: PackStatus, at: datetime) -> None: ...

    async def set_seat(
        self,
        *,
        seat_id: UUID,
        student_id: str,
        mentor_id: str,
        status: SeatStatus,
        grace_ends_at: datetime | None,
        at: datetime,
    ) -> None: ...

    async def set_capacity(
        self, *, mentor_id: str, capacity: int, live_seats: int, open_seats: int, at: datetime
    ) -> None: ...

    async def pack_expiry(self, pack_id: UUID) -> datetime | None:
        """When the pack expires, as far as booking has heard; None if it never heard of it."""
        ...


class CreditReleaseRepository(Protocol):
    """Releases packs did not confirm, kept until a retry succeeds."""

    async def remember(self, session_id: UUID, *, error: str, now: datetime) -> None: ...

    async def pending(self, *, limit: int) -> Sequence[UUID]:
        """Pending releases, oldest first, not locked."""
        ...

    async def claim(self, session_id: UUID) -> bool:
        """Lock the pending release (other replicas skip it); False if gone or taken."""
        ...

    async def forget(self, session_id: UUID) -> None: ...

    async def count_failure(self, session_id: UUID, *, error: str) -> None: ...


class CalendarFeedRepository(Protocol):
    """One feed per person, found by the hash of its token."""

    async def replace(self, owner: FeedOwner, *, token_hash: str, now: datetime) -> None:
        """Create the person's feed, or give it a new token (the old one stops working)."""
        ...

    async def revoke(self, user_id: str) -> bool:
        """False if the person had no feed."""
        ...

    async def owner_of(self, token_hash: str) -> tuple[FeedOwner, datetime] | None:
        """Whose feed has this token hash, and since when; None if no live feed has it."""
        ...

    async def entries(self, owner: FeedOwner, *, window: FeedWindow, limit: int) -> list[FeedEntry]:
        """The owner's sessions in the window, the newest `limit`, oldest first."""
        ...


class BookingUnitOfWork(RecordsEvents, Protocol):
    """What a booking use case takes as `uow`: its repositories and `record(event)`."""

    @property
    def sessions(self) -> SessionRepository: ...

    @property
    def bookings(self) -> BookingRepository: ...

    @property
    def busy(self) -> BusyRepository: ...

    @property
    def holds(self) -> HoldRepository: ...

    @property
    def reminders(self) -> ReminderRepository: ...

    @property
    def mentors(self) -> MentorRepository: ...

    @property
    def reviews(self) -> ReviewRepository: ...

    @property
    def packs(self) -> PacksProjection: ...

    @property
    def credit_releases(self) -> CreditReleaseRepository: ...

    @property
    def calendar_feeds(self) -> CalendarFeedRepository: ...


class OwnBookingUnit(BookingUnitOfWork, Protocol):
    """A unit of work a use case opens and commits itself (the booking saga, a release)."""

    async def commit(self) -> None: ...
