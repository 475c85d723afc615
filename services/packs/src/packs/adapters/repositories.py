"""The repositories packs' use cases reach their data through: ports, implemented in SQL by
`seats`, `packs`, `credits`, `reservations`, `capacity` and `waitlist` of this package and
in memory by the unit tests' fakes."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple, Protocol
from uuid import UUID

from packs.domain.model import (
    Credit,
    CreditStatus,
    Hold,
    HoldStatus,
    Pack,
    ReleaseReason,
    Seat,
    SeatStatus,
    SettlementOutcome,
    WaitlistEntry,
    WaitlistStatus,
)
from shared.messaging.events import PaymentSucceeded
from shared.uow import RecordsEvents


class Due(NamedTuple):
    """A row a due job found (not locked): its id and the mentor whose capacity to lock."""

    id: UUID
    mentor_id: str


@dataclass
class LockedPair:
    """What a reserve reads in its one locking statement (`CreditRepository.lock_pair`)."""

    packs: list[Pack]  # the student's packs with the mentor, locked, in expiry order
    seat: Seat | None  # the live seat, as of the read (not locked)
    credit: Credit | None  # the session id's credit, as of the read; re-read after a conflict


@dataclass(frozen=True)
class CreditState:
    """A session's credit with its history, as its participants and admins may see it."""

    session_id: UUID
    pack_id: UUID | None
    student_id: str
    mentor_id: str
    status: CreditStatus
    session_starts_at: datetime | None
    reserved_at: datetime | None
    settled_at: datetime | None
    outcome: SettlementOutcome | None


class SeatRepository(Protocol):
    async def lock(self, seat_id: UUID) -> Seat: ...

    async def live_of(self, *, student_id: str, mentor_id: str, lock: bool = False) -> Seat | None:
        """The student's live seat with the mentor (at most one); locked if asked."""
        ...

    async def add(
        self,
        *,
        student_id: str,
        mentor_id: str,
        status: SeatStatus,
        now: datetime,
        held_until: datetime | None = None,
    ) -> Seat: ...

    async def extend_hold(self, seat_id: UUID, *, held_until: datetime) -> None: ...

    async def activate(self, seat_id: UUID, *, now: datetime) -> None:
        """Held or grace → active; the grace period and its warning are cleared."""
        ...

    async def start_grace(self, seat_id: UUID, *, ends_at: datetime) -> None: ...

    async def holds_ended(self, *, now: datetime, limit: int) -> Sequence[Due]:
        """Held seats whose checkout hold ended by `now`."""
        ...

    async def claim_hold_ended(self, seat_id: UUID, *, now: datetime) -> Seat | None:
        """Lock the seat (SKIP LOCKED) if its hold still ended; None if not, or if taken."""
        ...

    async def graces_over(self, *, now: datetime, limit: int) -> Sequence[Due]:
        """Seats in grace whose grace ended by `now`."""
        ...

    async def claim_grace_over(self, seat_id: UUID, *, now: datetime) -> Seat | None: ...

    async def grace_warnings_due(
        self, *, now: datetime, window: timedelta, limit: int
    ) -> Sequence[Due]:
        """Seats in grace, not warned, inside the final `window` of their grace."""
        ...

    async def claim_grace_warning_due(
        self, seat_id: UUID, *, now: datetime, window: timedelta
    ) -> Seat | None: ...

    async def mark_warned(self, seat_id: UUID, *, now: datetime) -> None: ...

    async def release(self, seat_id: UUID, *, reason: ReleaseReason, now: datetime) -> None: ...


class HoldRepository(Protocol):
    """Checkout holds: one per order id, on a seat."""

    async def get(self, order_id: UUID) -> Hold | None: ...

    async def add(
        self,
        *,
        order_id: UUID,
        seat: Seat,
        renewal: bool,
        held_until: datetime | None,
        now: datetime,
    ) -> None:
        """A pending hold of the order on the seat."""
        ...

    async def set_status(self, order_id: UUID, status: HoldStatus) -> None:
        """A pending hold ends as `status` (a hold no longer pending is left as it is)."""
        ...

    async def others_open(self, *, seat_id: UUID, order_id: UUID, now: datetime) -> int:
        """Pending holds of other checkouts still keeping this seat."""
        ...

    async def expire_of_seat(self, seat_id: UUID) -> None:
        """The seat's pending holds end (the seat is being released)."""
        ...


class PackRepository(Protocol):
    async def expiring(self, *, now: datetime, limit: int) -> Sequence[Due]:
        """Active packs past their expiry."""
        ...

    async def claim_expiring(self, pack_id: UUID, *, now: datetime) -> Pack | None:
        """Lock the pack (SKIP LOCKED) if it is still active past its expiry."""
        ...

    async def mark_expired(self, pack_id: UUID, *, now: datetime) -> None: ...

    async def of_seat(self, seat_id: UUID) -> list[Pack]:
        """The seat's packs in expiry order."""
        ...

    async def for_order(self, order_id: UUID) -> Pack | None: ...

    async def of_pair(self, *, student_id: str, mentor_id: str, lock: bool = False) -> list[Pack]:
        """The student's packs with the mentor in expiry order; locked in that order if asked."""
        ...

    async def mark_refunded(self, pack_id: UUID, *, now: datetime) -> None:
        """Refunded: its reserved credits are void, so nothing stays reserved on it."""
        ...

    async def add(
        self, *, purchase: PaymentSucceeded, seat_id: UUID, now: datetime
    ) -> tuple[UUID, datetime]:
        """A new active pack from the purchase's product snapshot; (id, expires_at)."""
        ...

    async def save_counts(self, pack: Pack, *, now: datetime) -> None:
        """Write the pack's used/reserved counts and status as the domain left them."""
        ...


class CreditRepository(Protocol):
    """Credits, one per booked session; a reserved one moves to another status once."""

    async def get(self, session_id: UUID) -> Credit | None: ...

    async def state(self, session_id: UUID) -> CreditState | None:
        """The credit with its times and outcome (or a release's tombstone)."""
        ...

    async def lock_pair(self, *, student_id: str, mentor_id: str, session_id: UUID) -> LockedPair:
        """Lock the pair's packs (expiry order) and read their live seat and the session's
        credit, in one statement; without packs nothing is locked or read."""
        ...

    async def reserve(
        self,
        *,
        session_id: UUID,
        pack_id: UUID,
        student_id: str,
        mentor_id: str,
        starts_at: datetime,
        now: datetime,
    ) -> bool:
        """Add the reserved credit and count it on its pack; False if the id had a credit."""
        ...

    async def add_tombstone(self, session_id: UUID, *, now: datetime) -> bool:
        """Mark a session id released before any reserve; False if it already has a credit."""
        ...

    async def settle(
        self, session_id: UUID, *, to: CreditStatus, outcome: SettlementOutcome, now: datetime
    ) -> UUID | None:
        """reserved → `to`, once: the pack id if this call made the change, None otherwise."""
        ...

    async def void_reserved(self, pack_id: UUID, *, now: datetime) -> int:
        """The pack's reserved credits become void (refunded); how many there were."""
        ...


class CapacityRepository(Protocol):
    async def lock(self, mentor_id: str, *, default: int) -> int:
        """Lock the mentor's capacity (created at `default` on first use) and return it.

        Lock order, everywhere: capacity → packs → credits → seats → holds.
        """
        ...

    async def set(self, mentor_id: str, *, capacity: int, now: datetime) -> None:
        """Change the capacity; the caller holds its lock."""
        ...

    async def live_seats(self, mentor_id: str) -> int:
        """Held, active and grace seats of the mentor: what counts against capacity."""
        ...


class WaitlistRepository(Protocol):
    """A mentor's waitlist; the caller holds the mentor's capacity lock for every change."""

    async def open_of(self, *, student_id: str, mentor_id: str) -> WaitlistEntry | None:
        """The student's waiting or offered place on the mentor's list (at most one)."""
        ...

    async def add(self, *, student_id: str, mentor_id: str, now: datetime) -> WaitlistEntry:
        """A waiting place at the end of the line (the next sequence number)."""
        ...

    async def first_waiting(self, mentor_id: str, *, limit: int) -> list[WaitlistEntry]:
        """The first `limit` waiting places, in join order."""
        ...

    async def position(self, entry: WaitlistEntry) -> int | None:
        """1 for the first waiting student of the entry's mentor; None unless it is waiting."""
        ...

    async def offer(
        self, entry_id: UUID, *, seat_id: UUID, expires_at: datetime, now: datetime
    ) -> UUID:
        """waiting → offered on the held seat; the new offer's id."""
        ...

    async def end(self, entry_id: UUID, *, status: WaitlistStatus, now: datetime) -> None:
        """An open place ends as `status` (accepted, expired or left)."""
        ...

    async def offer_of_seat(self, seat_id: UUID) -> WaitlistEntry | None:
        """The open offer this held seat was reserved for, if any."""
        ...


class PacksUnitOfWork(RecordsEvents, Protocol):
    """What a packs use case takes as `uow`: its repositories and `record(event)`."""

    @property
    def seats(self) -> SeatRepository: ...

    @property
    def holds(self) -> HoldRepository: ...

    @property
    def packs(self) -> PackRepository: ...

    @property
    def credits(self) -> CreditRepository: ...

    @property
    def capacity(self) -> CapacityRepository: ...

    @property
    def waitlist(self) -> WaitlistRepository: ...
