"""The mentor's booking rules where a session is booked or moved, and where slots are offered."""

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from booking.adapters.repositories import BookingRepository
from booking.domain.availability import Interval, Slot
from booking.domain.booking_rules import BookingRules, RuleLedger, counting_window
from booking.domain.schedule import Schedule


async def ledger(
    bookings: BookingRepository,
    *,
    mentor_id: str,
    rules: BookingRules,
    schedule: Schedule,
    start: datetime,
    end: datetime,
    except_session: UUID | None = None,
) -> RuleLedger:
    """The sessions that count against `rules` for starts in [start, end]."""
    zone = schedule.zone
    window = Interval(*counting_window(start, end, zone))
    booked = await bookings.booked(
        mentor_id=mentor_id, during=window, except_session=except_session
    )
    return RuleLedger(rules, zone=zone, booked=booked)


async def check_rules(
    bookings: BookingRepository,
    *,
    mentor_id: str,
    student_id: str,
    schedule: Schedule,
    starts_at: datetime,
    except_session: UUID | None = None,
    locked: bool,
) -> None:
    """Refuse a session of `student_id` starting at `starts_at` that a rule forbids.

    `locked`: inside the unit of work that writes the session, the mentor's row is locked and
    the rules read under it, so two bookings that would both pass a limit take turns and the
    second counts the first. Without it, a read ahead of the write (no credit is reserved for
    a booking the rules refuse anyway).
    """
    if not schedule.rules.counts_sessions:
        return  # no lock either: a mentor without limits books as before (decision 0031)
    rules: BookingRules | None = schedule.rules
    if locked:
        rules = await bookings.lock_rules(mentor_id)
    if rules is None or not rules.counts_sessions:
        return
    found = await ledger(
        bookings,
        mentor_id=mentor_id,
        rules=rules,
        schedule=schedule,
        start=starts_at,
        end=starts_at,
        except_session=except_session,
    )
    found.check(starts_at, student_id=student_id)


def allowed_slots(
    slots: Sequence[Slot], *, ledger: RuleLedger, student_id: str | None
) -> list[Slot]:
    """The slots one more session may still take: the mentor's daily limit for anyone, the
    per-student limits too when the reader is a student."""
    return [slot for slot in slots if ledger.allows(slot.start, student_id=student_id)]
