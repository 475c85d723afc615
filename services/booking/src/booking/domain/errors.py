"""Refusals of booking's rules, each with a stable code."""

from shared.errors import Conflict, Forbidden, InvalidInput, NotConfigured, NotFound, Unavailable


class InvalidSchedule(InvalidInput):
    code = "INVALID_SCHEDULE"


class InvalidRange(InvalidInput):
    code = "INVALID_AVAILABILITY_RANGE"


class TooManySlots(InvalidInput):
    code = "TOO_MANY_SLOTS"


class DurationNotOffered(InvalidInput):
    code = "DURATION_NOT_OFFERED"


class SlotNotOffered(InvalidInput):
    """The time is outside the mentor's hours, notice or horizon."""

    code = "SLOT_NOT_OFFERED"


class TimeSlotUnavailable(Conflict):
    """Someone else has the time (a session, a hold or the mentor's calendar)."""

    code = "TIME_SLOT_UNAVAILABLE"


class CalendarUnavailable(Unavailable):
    code = "CALENDAR_UNAVAILABLE"


class MentorNotFound(NotFound):
    code = "MENTOR_NOT_FOUND"


class SessionNotFound(NotFound):
    code = "SESSION_NOT_FOUND"


class NotYourSession(Forbidden):
    code = "NOT_YOUR_SESSION"


class IllegalTransition(Conflict):
    code = "ILLEGAL_TRANSITION"


class SessionNotScheduled(Conflict):
    code = "SESSION_NOT_SCHEDULED"


class IdempotencyKeyReused(InvalidInput):
    """The same Idempotency-Key came with a different request."""

    code = "IDEMPOTENCY_KEY_REUSED"


class ScheduledAfterExpiration(Conflict):
    code = "SCHEDULED_AFTER_EXPIRATION"


class ReviewNotAllowed(Conflict):
    code = "REVIEW_NOT_ALLOWED"


class AlreadyReviewed(Conflict):
    code = "ALREADY_REVIEWED"


class PacksRefused(Conflict):
    """Packs said no; `code` is the packs code (e.g. NO_REMAINING_SESSIONS)."""

    code = "PACKS_REFUSED"


class PacksUnavailable(Unavailable):
    """Packs did not answer: nobody listening (UPSTREAM_UNAVAILABLE) or too late (…_TIMEOUT)."""

    code = "UPSTREAM_UNAVAILABLE"

    @property
    def timed_out(self) -> bool:
        """The request may have been served after we stopped waiting."""
        return self.code == "UPSTREAM_TIMEOUT"


class CalendarConnectFailed(InvalidInput):
    code = "CALENDAR_CONNECT_FAILED"


class CalendarNotConfigured(NotConfigured):
    """This deployment has no Google credentials: mentors have no calendar."""

    code = "CALENDAR_NOT_CONFIGURED"


class CalendarFeedNotFound(NotFound):
    """No live feed has this token: never created, rotated away or revoked."""

    code = "CALENDAR_FEED_NOT_FOUND"


class DailyLimitReached(Conflict):
    """The mentor's sessions on that local day (all students) reached the mentor's daily limit."""

    code = "DAILY_LIMIT_REACHED"


class WeeklyLimitReached(Conflict):
    """The student's sessions with the mentor in that local week (Monday to Sunday) reached
    the mentor's weekly limit per student."""

    code = "WEEKLY_LIMIT_REACHED"


class MonthlyLimitReached(Conflict):
    """The student's sessions with the mentor in that local month reached the mentor's
    monthly limit per student."""

    code = "MONTHLY_LIMIT_REACHED"


class RescheduleTooLate(Conflict):
    """The session starts sooner than the mentor's reschedule notice: it can only be canceled."""

    code = "RESCHEDULE_TOO_LATE"


class RescheduleLimitReached(Conflict):
    """The session was rescheduled as many times as the mentor allows."""

    code = "RESCHEDULE_LIMIT_REACHED"
