"""Refusals of the video rules, each with a stable code and a kind (no HTTP here)."""

from datetime import datetime

from shared.errors import DomainError, ErrorKind


class NotAParticipant(DomainError):
    code = "NOT_A_PARTICIPANT"
    kind = ErrorKind.forbidden


class SessionNotScheduled(DomainError):
    """Canceled, completed, no-show, or not known to video."""

    code = "SESSION_NOT_SCHEDULED"
    kind = ErrorKind.conflict


class TooEarly(DomainError):
    code = "TOO_EARLY"
    kind = ErrorKind.conflict

    def __init__(self, opens_at: datetime) -> None:
        super().__init__(f"joining opens at {opens_at.isoformat()}")
        self.opens_at = opens_at


class TooLate(DomainError):
    code = "TOO_LATE"
    kind = ErrorKind.conflict

    def __init__(self, closed_at: datetime) -> None:
        super().__init__(f"joining closed at {closed_at.isoformat()}")
        self.closed_at = closed_at


class NotTheMentor(DomainError):
    code = "NOT_THE_SESSION_MENTOR"
    kind = ErrorKind.forbidden


class InvalidSignature(DomainError):
    code = "INVALID_SIGNATURE"
    kind = ErrorKind.unauthorized
