"""HTTP models of booking."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from shared.types import IanaTimezone


def _distinct(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Specialty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]


class MentorProfileUpdate(BaseModel):
    """The whole profile; what is left out takes its default."""

    model_config = ConfigDict(extra="forbid")

    display_name: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)
    ]
    title: Text = ""
    company: Text = ""
    bio: Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)] = ""
    specialties: Annotated[list[Specialty], Field(max_length=20), AfterValidator(_distinct)] = []
    job_family: Annotated[str, StringConstraints(strip_whitespace=True, max_length=50)] = ""
    years_experience: Annotated[int, Field(ge=0, le=70)] = 0
    timezone: IanaTimezone
    accepting_students: bool = True


class MentorProfileRead(BaseModel):
    mentor_id: str
    display_name: str
    title: str
    company: str
    bio: str
    specialties: list[str]
    job_family: str
    years_experience: int
    timezone: str
    accepting_students: bool
    updated_at: datetime


class StudentPackRead(BaseModel):
    pack_id: UUID
    mentor_id: str
    sessions_total: int
    session_minutes: int
    expires_at: datetime
