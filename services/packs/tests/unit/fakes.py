"""Packs' repositories in memory, on the kernel's fake unit of work: use cases without Postgres.

They answer as the SQL ones do (`packs.adapters.repositories`), minus the locks: a row
"another replica holds" is one in `taken`, which every claim skips.
"""

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from packs.adapters.repositories import CreditState, Due, LockedPair
from packs.domain.model import (
    Credit,
    CreditStatus,
    Hold,
    HoldStatus,
    Pack,
    PackStatus,
    ReleaseReason,
    Seat,
    SeatStatus,
    SettlementOutcome,
    WaitlistEntry,
    WaitlistStatus,
)
from shared.clock import Clock
from shared.messaging.events import PaymentSucceeded
from shared.testing.fakes import FakeUnitOfWork

SeatTest = Callable[[Seat], bool]


class FakeSeats:
    def __init__(self) -> None:
        self.rows: dict[UUID, Seat] = {}
        self.taken: set[UUID] = set()
        self.released: dict[UUID, ReleaseReason] = {}

    def add_row(self, seat: Seat) -> Seat:
        self.rows[seat.id] = seat
        return seat

    async def lock(self, seat_id: UUID) -> Seat:
        return replace(self.rows[seat_id])

    async def live_of(self, *, student_id: str, mentor_id: str, lock: bool = False) -> Seat | None:
        pair = (student_id, mentor_id)
        found = [s for s in self.rows.values() if s.is_live and (s.student_id, s.mentor_id) == pair]
        assert len(found) <= 1, "a unique index keeps one live seat per pair"
        return replace(found[0]) if found else None

    async def add(
        self,
        *,
        student_id: str,
        mentor_id: str,
        status: SeatStatus,
        now: datetime,
        held_until: datetime | None = None,
    ) -> Seat:
        seat = Seat(uuid4(), student_id, mentor_id, status, held_until=held_until)
        self.rows[seat.id] = seat
        return replace(seat)

    async def extend_hold(self, seat_id: UUID, *, held_until: datetime) -> None:
        self.rows[seat_id].held_until = held_until

    async def activate(self, seat_id: UUID, *, now: datetime) -> None:
        seat = self.rows[seat_id]
        seat.status, seat.held_until = SeatStatus.active, None
        seat.grace_ends_at = seat.grace_warning_sent_at = None

    async def start_grace(self, seat_id: UUID, *, ends_at: datetime) -> None:
        seat = self.rows[seat_id]
        seat.status, seat.grace_ends_at, seat.grace_warning_sent_at = (
            SeatStatus.grace,
            ends_at,
            None,
        )

    async def holds_ended(self, *, now: datetime, limit: int) -> Sequence[Due]:
        return self._due(lambda seat: _hold_ended(seat, now), limit)

    async def claim_hold_ended(self, seat_id: UUID, *, now: datetime) -> Seat | None:
        return self._claim(seat_id, lambda seat: _hold_ended(seat, now))

    async def graces_over(self, *, now: datetime, limit: int) -> Sequence[Due]:
        return self._due(lambda seat: _grace_over(seat, now), limit)

    async def claim_grace_over(self, seat_id: UUID, *, now: datetime) -> Seat | None:
        return self._claim(seat_id, lambda seat: _grace_over(seat, now))

    async def grace_warnings_due(
        self, *, now: datetime, window: timedelta, limit: int
    ) -> Sequence[Due]:
        return self._due(lambda seat: _warnable(seat, now, window), limit)

    async def claim_grace_warning_due(
        self, seat_id: UUID, *, now: datetime, window: timedelta
    ) -> Seat | None:
        return self._claim(seat_id, lambda seat: _warnable(seat, now, window))

    async def mark_warned(self, seat_id: UUID, *, now: datetime) -> None:
        self.rows[seat_id].grace_warning_sent_at = now

    async def release(self, seat_id: UUID, *, reason: ReleaseReason, now: datetime) -> None:
        self.rows[seat_id].status = SeatStatus.released
        self.released[seat_id] = reason

    def _due(self, due: SeatTest, limit: int) -> list[Due]:
        found = sorted((s for s in self.rows.values() if due(s)), key=lambda s: s.id)
        return [Due(seat.id, seat.mentor_id) for seat in found[:limit]]

    def _claim(self, seat_id: UUID, due: SeatTest) -> Seat | None:
        seat = self.rows.get(seat_id)
        if seat is None or seat_id in self.taken or not due(seat):
            return None
        return replace(seat)


class FakeHolds:
    def __init__(self) -> None:
        self.rows: dict[UUID, Hold] = {}

    def add_row(self, hold: Hold) -> Hold:
        self.rows[hold.order_id] = hold
        return hold

    async def get(self, order_id: UUID) -> Hold | None:
        return self.rows.get(order_id)

    async def add(
        self,
        *,
        order_id: UUID,
        seat: Seat,
        renewal: bool,
        held_until: datetime | None,
        now: datetime,
    ) -> None:
        assert order_id not in self.rows, "the order id is the holds' primary key"
        self.rows[order_id] = Hold(
            order_id=order_id,
            seat_id=seat.id,
            student_id=seat.student_id,
            mentor_id=seat.mentor_id,
            renewal=renewal,
            status=HoldStatus.pending,
            held_until=held_until,
        )

    async def set_status(self, order_id: UUID, status: HoldStatus) -> None:
        hold = self.rows.get(order_id)
        if hold is not None and hold.status is HoldStatus.pending:
            self.rows[order_id] = replace(hold, status=status)

    async def others_open(self, *, seat_id: UUID, order_id: UUID, now: datetime) -> int:
        return sum(
            hold.seat_id == seat_id
            and hold.order_id != order_id
            and hold.status is HoldStatus.pending
            and hold.held_until is not None
            and hold.held_until > now
            for hold in self.rows.values()
        )

    async def expire_of_seat(self, seat_id: UUID) -> None:
        for hold in list(self.rows.values()):
            if hold.seat_id == seat_id:
                await self.set_status(hold.order_id, HoldStatus.expired)


class FakePacks:
    def __init__(self) -> None:
        self.rows: dict[UUID, Pack] = {}
        self.orders: dict[UUID, UUID] = {}
        """Order id → the pack it bought."""
        self.taken: set[UUID] = set()

    def add_row(self, pack: Pack, *, order_id: UUID | None = None) -> Pack:
        self.rows[pack.id] = pack
        if order_id is not None:
            self.orders[order_id] = pack.id
        return pack

    async def expiring(self, *, now: datetime, limit: int) -> Sequence[Due]:
        found = sorted((p for p in self.rows.values() if _expiring(p, now)), key=_expiry)
        return [Due(pack.id, pack.mentor_id) for pack in found[:limit]]

    async def claim_expiring(self, pack_id: UUID, *, now: datetime) -> Pack | None:
        pack = self.rows.get(pack_id)
        if pack is None or pack_id in self.taken or not _expiring(pack, now):
            return None
        return replace(pack)

    async def mark_expired(self, pack_id: UUID, *, now: datetime) -> None:
        self.rows[pack_id].status = PackStatus.expired

    async def of_seat(self, seat_id: UUID) -> list[Pack]:
        found = (replace(p) for p in self.rows.values() if p.seat_id == seat_id)
        return sorted(found, key=_expiry)

    async def for_order(self, order_id: UUID) -> Pack | None:
        pack_id = self.orders.get(order_id)
        return None if pack_id is None else replace(self.rows[pack_id])

    async def of_pair(self, *, student_id: str, mentor_id: str, lock: bool = False) -> list[Pack]:
        pair = (student_id, mentor_id)
        found = (replace(p) for p in self.rows.values() if (p.student_id, p.mentor_id) == pair)
        return sorted(found, key=_expiry)

    async def mark_refunded(self, pack_id: UUID, *, now: datetime) -> None:
        pack = self.rows[pack_id]
        pack.status, pack.sessions_reserved = PackStatus.refunded, 0

    async def add(
        self, *, purchase: PaymentSucceeded, seat_id: UUID, now: datetime
    ) -> tuple[UUID, datetime]:
        pack = Pack(
            id=uuid4(),
            seat_id=seat_id,
            student_id=purchase.student_id,
            mentor_id=purchase.mentor_id,
            status=PackStatus.active,
            sessions_total=purchase.pack.sessions_count,
            sessions_used=0,
            sessions_reserved=0,
            expires_at=purchase.paid_at + timedelta(days=purchase.pack.validity_days),
        )
        self.add_row(pack, order_id=purchase.order_id)
        return pack.id, pack.expires_at

    async def save_counts(self, pack: Pack, *, now: datetime) -> None:
        self.rows[pack.id] = replace(pack)


class FakeCredits:
    """Credits by session id; a reserve counts on its pack's `sessions_reserved`, as the SQL."""

    def __init__(self, packs: FakePacks, seats: FakeSeats) -> None:
        self.rows: dict[UUID, CreditState] = {}
        self._packs = packs
        self._seats = seats

    def add_row(self, credit: CreditState) -> CreditState:
        self.rows[credit.session_id] = credit
        return credit

    async def get(self, session_id: UUID) -> Credit | None:
        found = self.rows.get(session_id)
        if found is None:
            return None
        return Credit(
            found.session_id, found.pack_id, found.student_id, found.mentor_id, found.status
        )

    async def state(self, session_id: UUID) -> CreditState | None:
        return self.rows.get(session_id)

    async def lock_pair(self, *, student_id: str, mentor_id: str, session_id: UUID) -> LockedPair:
        packs = await self._packs.of_pair(student_id=student_id, mentor_id=mentor_id)
        if not packs:
            return LockedPair([], None, None)
        seat = await self._seats.live_of(student_id=student_id, mentor_id=mentor_id)
        return LockedPair(packs, seat, await self.get(session_id))

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
        if session_id in self.rows:
            return False
        self.rows[session_id] = CreditState(
            session_id,
            pack_id,
            student_id,
            mentor_id,
            CreditStatus.reserved,
            starts_at,
            now,
            None,
            None,
        )
        self._packs.rows[pack_id].sessions_reserved += 1
        return True

    async def add_tombstone(self, session_id: UUID, *, now: datetime) -> bool:
        if session_id in self.rows:
            return False
        self.rows[session_id] = CreditState(
            session_id,
            None,
            "",
            "",
            CreditStatus.released,
            None,
            None,
            now,
            SettlementOutcome.released_unreserved,
        )
        return True

    async def settle(
        self, session_id: UUID, *, to: CreditStatus, outcome: SettlementOutcome, now: datetime
    ) -> UUID | None:
        credit = self.rows.get(session_id)
        if credit is None or credit.status is not CreditStatus.reserved:
            return None
        self.rows[session_id] = replace(credit, status=to, outcome=outcome, settled_at=now)
        return credit.pack_id

    async def void_reserved(self, pack_id: UUID, *, now: datetime) -> int:
        voided = [
            c
            for c in self.rows.values()
            if c.pack_id == pack_id and c.status is CreditStatus.reserved
        ]
        for credit in voided:
            await self.settle(
                credit.session_id, to=CreditStatus.void, outcome=SettlementOutcome.refunded, now=now
            )
        return len(voided)


class FakeCapacity:
    def __init__(self, seats: FakeSeats) -> None:
        self.rows: dict[str, int] = {}
        self._seats = seats

    async def lock(self, mentor_id: str, *, default: int) -> int:
        return self.rows.setdefault(mentor_id, default)

    async def set(self, mentor_id: str, *, capacity: int, now: datetime) -> None:
        self.rows[mentor_id] = capacity

    async def live_seats(self, mentor_id: str) -> int:
        return sum(s.is_live for s in self._seats.rows.values() if s.mentor_id == mentor_id)


class FakeWaitlist:
    """A mentor's line by entry id; `seq` counts up as the SQL sequence does."""

    def __init__(self) -> None:
        self.rows: dict[UUID, WaitlistEntry] = {}
        self._seq = 0

    def add_row(self, student_id: str, mentor_id: str = "m1") -> WaitlistEntry:
        self._seq += 1
        entry = WaitlistEntry(
            uuid4(), self._seq, student_id, mentor_id, WaitlistStatus.waiting, datetime.min
        )
        self.rows[entry.id] = entry
        return entry

    def status_of(self, student_id: str) -> list[WaitlistStatus]:
        ordered = sorted(self.rows.values(), key=lambda e: e.seq)
        return [e.status for e in ordered if e.student_id == student_id]

    async def open_of(self, *, student_id: str, mentor_id: str) -> WaitlistEntry | None:
        found = [
            e
            for e in self.rows.values()
            if (e.student_id, e.mentor_id) == (student_id, mentor_id)
            and e.status in (WaitlistStatus.waiting, WaitlistStatus.offered)
        ]
        assert len(found) <= 1, "a unique index keeps one open place per pair"
        return found[0] if found else None

    async def add(self, *, student_id: str, mentor_id: str, now: datetime) -> WaitlistEntry:
        assert await self.open_of(student_id=student_id, mentor_id=mentor_id) is None
        entry = self.add_row(student_id, mentor_id)
        self.rows[entry.id] = replace(entry, joined_at=now)
        return self.rows[entry.id]

    async def first_waiting(self, mentor_id: str, *, limit: int) -> list[WaitlistEntry]:
        return self._waiting(mentor_id)[:limit]

    async def position(self, entry: WaitlistEntry) -> int | None:
        if entry.status is not WaitlistStatus.waiting:
            return None
        return sum(e.seq <= entry.seq for e in self._waiting(entry.mentor_id))

    async def offer(
        self, entry_id: UUID, *, seat_id: UUID, expires_at: datetime, now: datetime
    ) -> UUID:
        entry = self.rows[entry_id]
        assert entry.status is WaitlistStatus.waiting
        assert all(e.offer_seat_id != seat_id for e in self.rows.values()), "unique offer seat"
        offer_id = uuid4()
        self.rows[entry_id] = replace(
            entry,
            status=WaitlistStatus.offered,
            offer_id=offer_id,
            offer_seat_id=seat_id,
            offer_expires_at=expires_at,
        )
        return offer_id

    async def end(self, entry_id: UUID, *, status: WaitlistStatus, now: datetime) -> None:
        entry = self.rows[entry_id]
        if entry.status in (WaitlistStatus.waiting, WaitlistStatus.offered):
            self.rows[entry_id] = replace(entry, status=status)

    async def offer_of_seat(self, seat_id: UUID) -> WaitlistEntry | None:
        found = [
            e
            for e in self.rows.values()
            if e.offer_seat_id == seat_id and e.status is WaitlistStatus.offered
        ]
        return found[0] if found else None

    def _waiting(self, mentor_id: str) -> list[WaitlistEntry]:
        return sorted(
            (
                e
                for e in self.rows.values()
                if e.mentor_id == mentor_id and e.status is WaitlistStatus.waiting
            ),
            key=lambda e: e.seq,
        )


class FakePacksUnitOfWork(FakeUnitOfWork):
    """`PacksUnitOfWork` in memory. Only events roll back: the repositories keep every change
    (a use case that raises after writing is a test of the real one, on Postgres)."""

    def __init__(self, *, clock: Clock) -> None:
        super().__init__(producer="packs", clock=clock)
        self.seats = FakeSeats()
        self.holds = FakeHolds()
        self.packs = FakePacks()
        self.credits = FakeCredits(self.packs, self.seats)
        self.capacity = FakeCapacity(self.seats)
        self.waitlist = FakeWaitlist()


def _hold_ended(seat: Seat, now: datetime) -> bool:
    return seat.status is SeatStatus.held and seat.held_until is not None and seat.held_until <= now


def _grace_over(seat: Seat, now: datetime) -> bool:
    ends = seat.grace_ends_at
    return seat.status is SeatStatus.grace and ends is not None and ends <= now


def _warnable(seat: Seat, now: datetime, window: timedelta) -> bool:
    ends = seat.grace_ends_at
    return (
        seat.status is SeatStatus.grace
        and seat.grace_warning_sent_at is None
        and ends is not None
        and ends - window <= now < ends
    )


def _expiring(pack: Pack, now: datetime) -> bool:
    return pack.status is PackStatus.active and pack.expires_at <= now


def _expiry(pack: Pack) -> datetime:
    return pack.expires_at
