"""HTTP models of slot holds, sessions, instructor updates and reviews."""

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from booking.domain.sessions import Actor
from shared.types import SINGLE_LINE, PatchModel, Text, Timestamp, UserId, int_range

Topic = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=10, max_length=200, pattern=SINGLE_LINE),
]
Duration = Annotated[int, int_range(ge=1, le=480)]
Url = Annotated[str, StringConstraints(max_length=2000, pattern=r"^https?://[^\s\x00-\x1f\x7f]+$")]
IdempotencyKey = Annotated[
    str, StringConstraints(min_length=1, max_length=200, pattern=r"^[\x21-\x7e]+$")
]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SlotHoldCreate(_Body):
    mentor_id: UserId
    starts_at: Timestamp
    duration_minutes: Duration


class SlotHoldRead(BaseModel):
    hold_id: UUID
    mentor_id: str
    starts_at: datetime
    ends_at: datetime
    expires_at: datetime


class SessionCreate(_Body):
    mentor_id: UserId
    starts_at: Timestamp
    duration_minutes: Duration
    topic: Topic = Field(description="what the student wants to work on, 10–200 characters")


class SessionReschedule(_Body):
    starts_at: Timestamp


class SessionCancel(_Body):
    reason: Text = ""


class InstructorUpdate(PatchModel):
    """Only what is sent changes; a field may be left out but not sent as null."""

    status: Literal["completed", "no_show", "canceled"] | None = None
    notes: Text | None = None
    recording_url: Url | None = None
    reason: Text = Field("", description="why, when canceling")


class SessionRead(BaseModel):
    session_id: UUID
    mentor_id: str
    student_id: str
    pack_id: UUID
    status: str
    starts_at: datetime
    ends_at: datetime
    topic: str
    join_url: str
    mentor_timezone: str
    sequence: int
    notes: str
    recording_url: str | None
    completed_at: datetime | None
    canceled_at: datetime | None
    canceled_by: Actor | None
    cancel_reason: str
    late: bool


class SessionListItem(BaseModel):
    """A session as a participant sees it in a list: times in the caller's zone."""

    session_id: UUID
    status: str
    counterpart_id: str
    starts_at: datetime
    ends_at: datetime
    local_starts_at: datetime
    local_ends_at: datetime
    topic: str
    join_url: str


class ReviewCreate(_Body):
    rating: Annotated[int, int_range(ge=1, le=5)]
    comment: Text = ""


class ReviewAddedRead(BaseModel):
    review_id: UUID
    average_rating: float
    review_count: int
