"""The events packs publishes: the module a payload lives in names its producer."""

from typing import Literal
from uuid import UUID

from shared.messaging.events.base import Event
from shared.types import Count, Minutes, PositiveCount, Text, Timestamp, UserId


class PackPurchased(Event):
    subject = "pack.purchased"
    pack_id: UUID
    order_id: UUID
    seat_id: UUID
    student_id: UserId
    mentor_id: UserId
    sessions_total: PositiveCount
    session_minutes: Minutes
    expires_at: Timestamp
    renewal: bool


class PackPurchaseRejected(Event):
    subject = "pack.purchase_rejected"
    order_id: UUID
    student_id: UserId
    mentor_id: UserId
    reason: Text


class PackDepleted(Event):
    subject = "pack.depleted"
    pack_id: UUID
    student_id: UserId
    mentor_id: UserId


class PackExpired(Event):
    subject = "pack.expired"
    pack_id: UUID
    student_id: UserId
    mentor_id: UserId
    expired_at: Timestamp
    unused_credits: Count


class PackRevoked(Event):
    subject = "pack.revoked"
    pack_id: UUID
    order_id: UUID
    student_id: UserId
    mentor_id: UserId
    reason: Text


class PackRenewalDue(Event):
    subject = "pack.renewal_due"
    student_id: UserId
    mentor_id: UserId
    remaining: Count
    grace_ends_at: Timestamp | None = None


class SeatGraceStarted(Event):
    subject = "seat.grace_started"
    seat_id: UUID
    student_id: UserId
    mentor_id: UserId
    grace_ends_at: Timestamp


class SeatGraceExpiring(Event):
    subject = "seat.grace_expiring"
    seat_id: UUID
    student_id: UserId
    mentor_id: UserId
    grace_ends_at: Timestamp


class SeatReleased(Event):
    subject = "seat.released"
    seat_id: UUID
    student_id: UserId
    mentor_id: UserId
    reason: Literal["grace_over", "pack_expired", "refunded"]


class MentorCapacityChanged(Event):
    subject = "mentor.capacity_changed"
    mentor_id: UserId
    capacity: Count
    live_seats: Count
    open_seats: Count


class WaitlistSeatOffered(Event):
    """A freed seat is held for the first student on a mentor's waitlist until `expires_at`."""

    subject = "waitlist.seat_offered"
    offer_id: UUID
    mentor_id: UserId
    student_id: UserId
    expires_at: Timestamp
