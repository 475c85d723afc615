"""Plain objects of the packs domain: seats, packs, credits and their statuses."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID


class SeatStatus(StrEnum):
    held = "held"
    active = "active"
    grace = "grace"
    released = "released"


LIVE_SEAT_STATUSES = (SeatStatus.held, SeatStatus.active, SeatStatus.grace)
"""Seats that count against the mentor's capacity; at most one per (student, mentor)."""


class PackStatus(StrEnum):
    active = "active"
    depleted = "depleted"
    expired = "expired"
    refunded = "refunded"


class CreditStatus(StrEnum):
    reserved = "reserved"
    consumed = "consumed"
    released = "released"
    void = "void"


class HoldStatus(StrEnum):
    pending = "pending"
    paid = "paid"
    released = "released"
    expired = "expired"


class SettlementOutcome(StrEnum):
    """Why a credit left `reserved` (the credits table's `outcome`)."""

    completed = "completed"  # consumed: the session was held
    no_show = "no_show"  # consumed: the student did not come
    late_cancel = "late_cancel"  # consumed: the student canceled inside the window
    canceled = "canceled"  # released: an on-time or mentor/system cancel
    released = "released"  # released: booking compensated a failed booking
    released_unreserved = "released_unreserved"  # a release that came before any reserve
    refunded = "refunded"  # void: the pack was refunded


class HoldDecision(StrEnum):
    """What a hold request does to the student's seat with the mentor."""

    new = "new"  # a free seat is held
    share = "share"  # the student's open hold is shared (and extended)
    renewal = "renewal"  # the student already has a seat: a renewal, no hold


class HoldOutcome(StrEnum):
    """What a hold request answers (`SeatHoldReply.outcome`)."""

    held = "held"
    renewal = "renewal"


class ReleaseReason(StrEnum):
    grace_over = "grace_over"
    pack_expired = "pack_expired"
    refunded = "refunded"
    hold_ended = "hold_ended"  # a checkout hold that never turned into a purchase


class WaitlistStatus(StrEnum):
    """A place on a mentor's waitlist: waiting, then offered a held seat, then one end."""

    waiting = "waiting"
    offered = "offered"  # a seat is held for the student until the offer expires
    accepted = "accepted"  # the student bought a pack on the offered (or any) seat
    expired = "expired"  # the offer lapsed unused; the seat passed to the next in line
    left = "left"  # the student left the list (an offer they held passed on)


OPEN_WAITLIST_STATUSES = (WaitlistStatus.waiting, WaitlistStatus.offered)
"""A student's place on a mentor's list; at most one open entry per (student, mentor)."""


@dataclass
class Seat:
    id: UUID
    student_id: str
    mentor_id: str
    status: SeatStatus
    held_until: datetime | None = None
    grace_ends_at: datetime | None = None
    grace_warning_sent_at: datetime | None = None

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_SEAT_STATUSES


@dataclass(frozen=True)
class Hold:
    """A checkout's claim on a seat, one per order id."""

    order_id: UUID
    seat_id: UUID
    student_id: str
    mentor_id: str
    renewal: bool
    status: HoldStatus
    held_until: datetime | None


@dataclass
class Pack:
    id: UUID
    seat_id: UUID
    student_id: str
    mentor_id: str
    status: PackStatus
    sessions_total: int
    sessions_used: int
    sessions_reserved: int
    expires_at: datetime

    @property
    def remaining(self) -> int:
        """Credits still bookable: total − used − reserved."""
        return self.sessions_total - self.sessions_used - self.sessions_reserved

    @property
    def unconsumed(self) -> int:
        """Sessions the student still has, booked or not: total − used."""
        return self.sessions_total - self.sessions_used

    def has_expired(self, now: datetime) -> bool:
        return self.status is PackStatus.expired or now >= self.expires_at

    def is_live(self, now: datetime) -> bool:
        """Active and within its validity: it can still give sessions."""
        return self.status is PackStatus.active and now < self.expires_at

    def reserve_one(self) -> None:
        """A booked session holds one of the pack's credits."""
        self.sessions_reserved += 1

    def release_one(self) -> None:
        """A reserved credit comes back: the session was canceled in time or never booked."""
        self.sessions_reserved -= 1

    def consume_one(self) -> bool:
        """A reserved credit is spent; True if that was the pack's last (it is now depleted)."""
        self.sessions_used += 1
        self.sessions_reserved -= 1
        if self.status is PackStatus.active and self.sessions_used >= self.sessions_total:
            self.status = PackStatus.depleted
            return True
        return False


@dataclass
class Credit:
    session_id: UUID
    pack_id: UUID | None  # None only for a release that arrived before any reserve
    student_id: str
    mentor_id: str
    status: CreditStatus


@dataclass(frozen=True)
class WaitlistEntry:
    """One student's place on one mentor's waitlist; `seq` orders the list (first come)."""

    id: UUID
    seq: int
    student_id: str
    mentor_id: str
    status: WaitlistStatus
    joined_at: datetime
    offer_id: UUID | None = None
    offer_seat_id: UUID | None = None
    offer_expires_at: datetime | None = None
