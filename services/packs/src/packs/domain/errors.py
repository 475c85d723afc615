"""Refusals of the packs rules, each with a stable code (see shared.messaging.packs_requests)."""

from shared.errors import DomainError, InvalidInput
from shared.messaging import packs_requests as codes


class Ineligible(DomainError):
    """A booking may not draw a credit; `code` is the first failing eligibility check."""

    status = 409


class NoSeatAvailable(DomainError):
    code = codes.NO_SEAT_AVAILABLE
    status = 409


class HoldExpired(DomainError):
    code = codes.HOLD_EXPIRED
    status = 409


class CreditReleased(DomainError):
    code = codes.CREDIT_RELEASED
    status = 409


class SessionIdConflict(DomainError):
    code = codes.SESSION_ID_CONFLICT
    status = 409


class InvalidHold(InvalidInput):
    code = "INVALID_HOLD"
