"""Request–reply contracts of the packs service (ARCHITECTURE §3.8).

Payments, booking and video import these models; packs serves them. A refusal comes back as
`RemoteError(code, detail)` on the caller's side, with one of the stable codes below.
The packs domain owns these codes as StrEnums (`packs.domain.errors`); a packs unit test pins
the two spellings together, so this module never needs to import the service.
"""

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from shared.types import Count, Timestamp, UserId

SEAT_HOLD = "packs.seat.hold"
CREDIT_RESERVE = "packs.credit.reserve"
CREDIT_RELEASE = "packs.credit.release"
ELIGIBILITY_GET = "packs.eligibility.get"

# Eligibility codes, in the order they are checked (ARCHITECTURE §5 "Packs, seats, credits").
PACK_NOT_FOUND = "PACK_NOT_FOUND"
PACK_EXPIRED = "PACK_EXPIRED"
SCHEDULED_AFTER_EXPIRATION = "SCHEDULED_AFTER_EXPIRATION"
PACK_NOT_ACTIVE = "PACK_NOT_ACTIVE"
NO_REMAINING_SESSIONS = "NO_REMAINING_SESSIONS"
SEAT_NOT_ACTIVE = "SEAT_NOT_ACTIVE"
IneligibleCode = Literal[
    "PACK_NOT_FOUND",
    "PACK_EXPIRED",
    "SCHEDULED_AFTER_EXPIRATION",
    "PACK_NOT_ACTIVE",
    "NO_REMAINING_SESSIONS",
    "SEAT_NOT_ACTIVE",
]

# Other refusals.
NO_SEAT_AVAILABLE = "NO_SEAT_AVAILABLE"  # hold: the mentor has no open seat
HOLD_EXPIRED = "HOLD_EXPIRED"  # hold: this order's hold already ended; start a new checkout
CREDIT_RELEASED = "CREDIT_RELEASED"  # reserve: the session id was released before; use a new one
SESSION_ID_CONFLICT = "SESSION_ID_CONFLICT"  # reserve: the session id belongs to another pair


class _Contract(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")  # new fields stay compatible


class SeatHoldRequest(_Contract):
    """Hold a seat of `mentor_id` for `student_id` while checkout `order_id` is open."""

    order_id: UUID
    student_id: UserId
    mentor_id: UserId
    hold_until: Timestamp | None = None  # default: now + the packs hold window (30 min)


class SeatHoldReply(_Contract):
    """`held`: a seat is kept until `held_until`; `renewal`: the student already has a seat."""

    order_id: UUID
    seat_id: UUID
    outcome: Literal["held", "renewal"]
    held_until: Timestamp | None = None


class CreditReserveRequest(_Contract):
    """Reserve one credit for a session about to be booked; idempotent per `session_id`."""

    session_id: UUID
    student_id: UserId
    mentor_id: UserId
    session_starts_at: Timestamp


class CreditReserveReply(_Contract):
    session_id: UUID
    pack_id: UUID
    pack_expires_at: Timestamp
    remaining: Count  # bookable credits left across the student's live packs with this mentor


class CreditReleaseRequest(_Contract):
    """Give back the credit of a session whose booking failed; idempotent."""

    session_id: UUID


class CreditReleaseReply(_Contract):
    """The credit's status after the call; `released` also for a session never reserved."""

    session_id: UUID
    status: Literal["released", "consumed", "void"]


class EligibilityRequest(_Contract):
    student_id: UserId
    mentor_id: UserId
    session_starts_at: Timestamp | None = None  # checked against the expiry when given


class EligibilityReply(_Contract):
    eligible: bool
    code: IneligibleCode | None = None  # the first failing check
    remaining: Count  # bookable credits across the student's live packs with this mentor
    pack_id: UUID | None = None  # the pack a booking would draw from
    expires_at: Timestamp | None = None  # that pack's expiry (else the latest expiry seen)
