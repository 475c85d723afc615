"""Refusals of the packs rules, each with a stable code the domain owns.

The request contracts (`shared.messaging.packs_requests`) spell the same codes on the wire;
`tests/unit/test_codes.py` pins the two vocabularies together.
"""

from enum import StrEnum

from shared.errors import DomainError, ErrorKind


class IneligibleCode(StrEnum):
    """Eligibility checks, in the order they run (ARCHITECTURE §5 "Packs, seats, credits")."""

    PACK_NOT_FOUND = "PACK_NOT_FOUND"
    PACK_EXPIRED = "PACK_EXPIRED"
    SCHEDULED_AFTER_EXPIRATION = "SCHEDULED_AFTER_EXPIRATION"
    PACK_NOT_ACTIVE = "PACK_NOT_ACTIVE"
    NO_REMAINING_SESSIONS = "NO_REMAINING_SESSIONS"
    SEAT_NOT_ACTIVE = "SEAT_NOT_ACTIVE"


class RefusalCode(StrEnum):
    """The other refusals of holds and reserves."""

    NO_SEAT_AVAILABLE = "NO_SEAT_AVAILABLE"  # hold: the mentor has no open seat
    HOLD_EXPIRED = "HOLD_EXPIRED"  # hold: this order's hold ended; start a new checkout
    INVALID_HOLD = "INVALID_HOLD"  # hold: bad deadline, or the order is another pair's
    CREDIT_RELEASED = "CREDIT_RELEASED"  # reserve: the id was released before; use a new one
    SESSION_ID_CONFLICT = "SESSION_ID_CONFLICT"  # reserve: the id belongs to another pair


class Ineligible(DomainError):
    """A booking may not draw a credit; `code` is the first failing eligibility check."""

    def __init__(self, detail: str, *, code: IneligibleCode) -> None:
        super().__init__(detail, code=code)


class NoSeatAvailable(DomainError):
    code = RefusalCode.NO_SEAT_AVAILABLE


class HoldExpired(DomainError):
    code = RefusalCode.HOLD_EXPIRED


class CreditReleased(DomainError):
    code = RefusalCode.CREDIT_RELEASED


class SessionIdConflict(DomainError):
    code = RefusalCode.SESSION_ID_CONFLICT


class InvalidHold(DomainError):
    code = RefusalCode.INVALID_HOLD
    kind = ErrorKind.invalid


class WaitlistCode(StrEnum):
    """Refusals of the waitlist (HTTP problems; no request contract relays them)."""

    SEAT_AVAILABLE = "SEAT_AVAILABLE"  # join: a seat is free, check out instead
    ALREADY_SEATED = "ALREADY_SEATED"  # join: the student already has a seat with the mentor
    WAITLIST_STUDENTS_ONLY = "WAITLIST_STUDENTS_ONLY"  # join: only a student joins a list


class SeatAvailable(DomainError):
    """The mentor has a free seat: check out (POST /api/payments/v1/checkout) instead of
    joining the waitlist."""

    code = WaitlistCode.SEAT_AVAILABLE


class AlreadySeated(DomainError):
    """The student already has a seat with this mentor (a pack, its grace period, or a
    checkout in progress): buy a renewal instead of joining the waitlist."""

    code = WaitlistCode.ALREADY_SEATED


class WaitlistStudentsOnly(DomainError):
    """Only a student may join a mentor's waitlist."""

    code = WaitlistCode.WAITLIST_STUDENTS_ONLY
    kind = ErrorKind.forbidden
