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
