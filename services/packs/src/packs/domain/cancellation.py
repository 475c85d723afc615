"""Whether a canceled session costs the student its credit."""

from enum import StrEnum


class Canceller(StrEnum):
    """Who canceled a session, as booking's `session.canceled` says."""

    student = "student"
    mentor = "mentor"
    system = "system"


def forfeits_credit(*, canceled_by: Canceller, late: bool) -> bool:
    """Only a student's late cancel consumes the credit; a mentor's or the system's never does.

    Booking owns the cancel window (24 h by default) and says `late` on `session.canceled`;
    packs does not second-guess it, so the two services cannot disagree about one session.
    """
    return canceled_by is Canceller.student and late
