"""What every event payload shares: the base class and the bounded field types of the catalog."""

from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.types import int_range, line

EventType = Annotated[str, line(100, min_length=1)]
TraceId = Annotated[str, line(200, min_length=1)]
Url = Annotated[str, line(2_000)]
Rating = Annotated[int, int_range(ge=1, le=5)]
AverageRating = Annotated[float, Field(ge=0, le=5, allow_inf_nan=False)]
ValidityDays = Annotated[int, int_range(ge=1, le=3_650)]
Years = Annotated[int, int_range(ge=0, le=100)]
ReminderOffset = Annotated[int, int_range(ge=0, le=7 * 24 * 60)]
SessionStatusName = Literal["scheduled", "completed", "no_show", "canceled"]


class Event(BaseModel):
    """Base of every event payload; `subject` names the fact, past tense."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    subject: ClassVar[str]
    version: ClassVar[int] = 1
