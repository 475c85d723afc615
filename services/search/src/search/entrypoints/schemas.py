"""HTTP models of the directory: search parameters in, cards with highlights and facets out."""

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from search.domain.experience import ExperienceLevel
from search.domain.query import MAX_PER_PAGE, AvailabilityWindow, SortOrder
from shared.types import IanaTimezone, MinorUnits, ShortText, line

MAX_RESULTS = 10_000  # results beyond the 10,000th are not served
MAX_PAGE = MAX_RESULTS // MAX_PER_PAGE + 1  # so that every page the schema allows is served
Word = Annotated[str, line(50, min_length=1)]


class MentorSearchParams(BaseModel):
    """Query parameters of `GET /v1/mentors/search`; unknown parameters are refused."""

    model_config = ConfigDict(extra="forbid")

    q: ShortText = ""
    job_family: Word | None = None
    min_price: MinorUnits | None = Field(None, description="minor units")
    max_price: MinorUnits | None = Field(None, description="minor units")
    experience_level: list[ExperienceLevel] = Field(default_factory=list, max_length=4)
    available: AvailabilityWindow | None = None
    tz: IanaTimezone = Field("UTC", description="IANA zone the availability window is read in")
    accepting_students: bool | None = None
    specialty: list[Word] = Field(default_factory=list, max_length=20)
    sort: SortOrder = SortOrder.relevance
    page: int = Field(1, ge=1, le=MAX_PAGE)
    per_page: int = Field(20, ge=1, le=MAX_PER_PAGE)


class MentorCardRead(BaseModel):
    mentor_id: str
    display_name: str
    title: str
    company: str
    bio: str
    specialties: list[str]
    job_family: str
    years_experience: int
    experience_level: ExperienceLevel
    timezone: str
    accepting_students: bool
    open_seats: int | None
    price_amount: int | None
    currency: str | None
    rating_avg: float | None
    rating_count: int
    next_available_at: datetime | None
    available_days: list[date]
    highlights: dict[str, str | list[str]] = Field(
        description="matched terms wrapped in <mark>…</mark>, for the fields that matched"
    )


class FacetsRead(BaseModel):
    job_family: dict[str, int]
    experience_level: dict[str, int]
    specialty: dict[str, int]


class MentorSearchRead(BaseModel):
    items: list[MentorCardRead]
    total: int
    page: int
    per_page: int
    pages: int
    facets: FacetsRead
    empty: bool
    message: str = Field(description="says so when nothing matched")


class SuggestionRead(BaseModel):
    mentor_id: str
    display_name: str
    title: str


class SuggestionsRead(BaseModel):
    items: list[SuggestionRead]


class RebuildRead(BaseModel):
    backend: str
    mentors: int = Field(description="mentors in the rebuilt facts")
    products: int
    documents: int = Field(description="documents in the fresh index")
    snapshot_items: int
