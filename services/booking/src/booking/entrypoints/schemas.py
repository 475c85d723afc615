"""HTTP models of mentor profiles, scheduling settings and availability.

The profile's public fields are declared once, in `ProfileFields`; the stored columns and the
`mentor.updated` payload are filled from it by name.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter

from booking.domain.booking_rules import BookingRules
from booking.domain.schedule import Hours, Schedule, Weekday
from shared.types import SINGLE_LINE, Day, IanaTimezone, LongText, int_range

DayName = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
HHMM = Annotated[str, StringConstraints(pattern=r"^(([01]\d|2[0-3]):[0-5]\d|24:00)$")]


def _distinct(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _stripped_line(max_length: int, *, min_length: int = 0) -> StringConstraints:
    return StringConstraints(
        strip_whitespace=True, min_length=min_length, max_length=max_length, pattern=SINGLE_LINE
    )


Name = Annotated[str, _stripped_line(100, min_length=1)]
Line = Annotated[str, _stripped_line(200)]
Specialty = Annotated[str, _stripped_line(50, min_length=1)]


class ProfileFields(BaseModel):
    """What a mentor says about themselves; everyone may read it."""

    display_name: Name
    title: Line = ""
    company: Line = ""
    bio: LongText = ""
    specialties: Annotated[list[Specialty], Field(max_length=20), AfterValidator(_distinct)] = []
    job_family: Annotated[str, _stripped_line(50)] = ""
    years_experience: Annotated[int, int_range(ge=0, le=70)] = 0
    timezone: IanaTimezone
    accepting_students: bool = True


class HoursSpan(BaseModel):
    """Working hours on a local day, wall-clock HH:MM; `end` may be 24:00."""

    model_config = ConfigDict(extra="forbid")
    start: HHMM
    end: HHMM


DayHours = Annotated[list[HoursSpan], Field(max_length=24)]


class ScheduleFields(BaseModel):
    """When the mentor can be booked, in their own time zone."""

    weekly_hours: dict[DayName, DayHours] = {}
    date_overrides: Annotated[dict[Day, DayHours], Field(max_length=400)] = Field(
        default={},
        description="hours replacing the weekly ones on a date; [] is a day off",
        json_schema_extra={"additionalProperties": False},  # every key is a Day
    )
    buffer_before_minutes: Annotated[int, int_range(ge=0, le=240)] = 0
    buffer_after_minutes: Annotated[int, int_range(ge=0, le=240)] = 0
    notice_minutes: Annotated[int, int_range(ge=0, le=60 * 24 * 60)] = 24 * 60
    horizon_days: Annotated[int, int_range(ge=1, le=365)] = 30
    session_durations: Annotated[
        list[Annotated[int, int_range(ge=5, le=480)]], Field(min_length=1, max_length=10)
    ] = [60]
    # Booking rules (decision 0042): null (the default) is no limit; days, weeks (Monday to
    # Sunday) and months are the mentor's own, in their time zone.
    max_sessions_per_day: Annotated[int, int_range(ge=0, le=48)] | None = Field(
        None, description="sessions a day, all students together"
    )
    max_sessions_per_student_week: Annotated[int, int_range(ge=0, le=100)] | None = Field(
        None, description="sessions a week, per student"
    )
    max_sessions_per_student_month: Annotated[int, int_range(ge=0, le=400)] | None = Field(
        None, description="sessions a month, per student"
    )
    reschedule_notice_hours: Annotated[int, int_range(ge=0, le=720)] | None = Field(
        None, description="a student may not reschedule a session starting sooner than this"
    )
    max_reschedules_per_session: Annotated[int, int_range(ge=0, le=100)] | None = Field(
        None, description="how often a student may reschedule one session"
    )


class MentorProfileUpdate(ProfileFields, ScheduleFields):
    """The whole profile; what is left out takes its default."""

    model_config = ConfigDict(extra="forbid")

    def profile(self) -> dict[str, Any]:
        return self.model_dump(include=set(ProfileFields.model_fields))

    def schedule(self) -> Schedule:
        """The domain schedule; overlapping or inverted hours are an InvalidSchedule (422)."""
        return Schedule(
            timezone=self.timezone,
            weekly={Weekday[day]: _hours(spans) for day, spans in self.weekly_hours.items()},
            overrides={day: _hours(spans) for day, spans in self.date_overrides.items()},
            buffer_before=_minutes(self.buffer_before_minutes),
            buffer_after=_minutes(self.buffer_after_minutes),
            notice=_minutes(self.notice_minutes),
            horizon=_minutes(self.horizon_days * 24 * 60),
            durations=tuple(self.session_durations),
            rules=BookingRules(
                sessions_per_day=self.max_sessions_per_day,
                sessions_per_student_week=self.max_sessions_per_student_week,
                sessions_per_student_month=self.max_sessions_per_student_month,
                reschedule_notice=None
                if self.reschedule_notice_hours is None
                else timedelta(hours=self.reschedule_notice_hours),
                reschedules_per_session=self.max_reschedules_per_session,
            ),
        )


def _hours(spans: list[HoursSpan]) -> tuple[Hours, ...]:
    return tuple(Hours.parse(span.start, span.end) for span in spans)


def _minutes(minutes: int) -> timedelta:
    return timedelta(minutes=minutes)


class MentorProfileRead(ProfileFields, ScheduleFields):
    mentor_id: str
    updated_at: datetime
    average_rating: float | None = None
    review_count: int = 0


class StudentPackRead(BaseModel):
    pack_id: UUID
    mentor_id: str
    sessions_total: int
    session_minutes: int
    expires_at: datetime


class SlotRead(BaseModel):
    starts_at: datetime = Field(description="UTC")
    ends_at: datetime
    local_starts_at: datetime = Field(description="in the requested time zone")
    local_ends_at: datetime


# The documented answer (no docstring: it would enter the schema); its bytes are built from
# `AvailabilityJson` (decision 0036).
class AvailabilityRead(BaseModel):
    mentor_id: str
    mentor_timezone: str
    timezone: str = Field(description="the zone of the local times")
    duration_minutes: int
    calendar_status: Literal["not_connected", "ok", "unavailable"]
    slots: list[SlotRead]


@dataclass(slots=True)
class SlotJson:
    """`SlotRead`'s fields, serialized and never validated."""

    starts_at: datetime
    ends_at: datetime
    local_starts_at: datetime
    local_ends_at: datetime


@dataclass(slots=True)
class AvailabilityJson:
    """`AvailabilityRead`'s fields: the answer serialized by pydantic's own serializer without a
    model per slot (the values come from the use case, already checked). A unit test holds the
    two to the same fields and the same bytes."""

    mentor_id: str
    mentor_timezone: str
    timezone: str
    duration_minutes: int
    calendar_status: Literal["not_connected", "ok", "unavailable"]
    slots: list[SlotJson]


AVAILABILITY_JSON: TypeAdapter[AvailabilityJson] = TypeAdapter(AvailabilityJson)


class EligibilityRead(BaseModel):
    eligible: bool
    code: str | None
    remaining: int
    pack_id: UUID | None
    expires_at: datetime | None


class ReviewRead(BaseModel):
    review_id: UUID
    session_id: UUID
    student_id: str
    rating: int
    comment: str
    created_at: datetime


class ReviewsPage(BaseModel):
    items: list[ReviewRead]
    total: int
    limit: int
    offset: int
    average_rating: float | None
    review_count: int
