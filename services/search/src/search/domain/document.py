"""The mentor document: declared once here, built from the facts search has seen.

Both backends index exactly these fields; `SEARCHABLE`, `FILTERABLE`, `SORTABLE` and `FACETS`
are what their settings are derived from.
"""

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from search.domain.experience import ExperienceLevel, experience_level
from search.domain.text import key

# Searchable fields, most important first (the embedded backend's weights A, A, B, B, C).
SEARCHABLE = ("display_name", "specialties", "title", "company", "bio")
FACETS = ("job_family", "experience_level", "specialty_keys")
FILTERABLE = (
    *FACETS,
    "price_amount",
    "accepting_students",
    "next_available_ts",
    "available_day_starts",
)
SORTABLE = ("rating_avg", "rating_count", "price_amount", "next_available_ts", "mentor_id")
HIGHLIGHTED = ("display_name", "title", "company", "bio", "specialties")


@dataclass(frozen=True)
class Profile:
    """What `mentor.updated` says about a mentor."""

    display_name: str
    title: str
    company: str
    bio: str
    specialties: tuple[str, ...]
    job_family: str
    years_experience: int
    timezone: str
    accepting_students: bool


@dataclass(frozen=True)
class Facts:
    """The newest fact of each group; a group nobody has told us about is None."""

    mentor_id: str
    profile: Profile | None = None
    open_seats: int | None = None
    price: tuple[int, str] | None = None
    rating: tuple[float, int] | None = None
    next_available_at: datetime | None = None
    available_days: tuple[date, ...] = ()


@dataclass(frozen=True)
class MentorDocument:
    mentor_id: str
    display_name: str
    title: str
    company: str
    bio: str
    specialties: tuple[str, ...]
    specialty_keys: tuple[str, ...]
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
    available_days: tuple[date, ...] = field(default=())

    @property
    def next_available_ts(self) -> int | None:
        """Epoch seconds, the form a range filter on either backend compares."""
        return int(self.next_available_at.timestamp()) if self.next_available_at else None

    @property
    def available_day_starts(self) -> tuple[int, ...]:
        """Each available day's start in the mentor's zone, as epoch seconds."""
        return day_starts(self.available_days, self.timezone)


DocumentBatches = AsyncIterator[Sequence[MentorDocument]]
"""Documents in batches, as a rebuild reads them from the facts."""


def build_document(facts: Facts) -> MentorDocument | None:
    """The listed document, or None while no profile is known (the mentor is not listed)."""
    profile = facts.profile
    if profile is None:
        return None
    seats_left = facts.open_seats is None or facts.open_seats > 0
    return MentorDocument(
        mentor_id=facts.mentor_id,
        display_name=profile.display_name,
        title=profile.title,
        company=profile.company,
        bio=profile.bio,
        specialties=profile.specialties,
        specialty_keys=tuple(dict.fromkeys(key(s) for s in profile.specialties if key(s))),
        job_family=key(profile.job_family),
        years_experience=profile.years_experience,
        experience_level=experience_level(profile.years_experience),
        timezone=profile.timezone,
        accepting_students=profile.accepting_students and seats_left,
        open_seats=facts.open_seats,
        price_amount=facts.price[0] if facts.price else None,
        currency=facts.price[1] if facts.price else None,
        rating_avg=facts.rating[0] if facts.rating else None,
        rating_count=facts.rating[1] if facts.rating else 0,
        next_available_at=facts.next_available_at,
        available_days=facts.available_days,
    )


def day_starts(days: tuple[date, ...], timezone: str) -> tuple[int, ...]:
    zone = _zone(timezone)
    return tuple(
        int(datetime.combine(day, time(), tzinfo=zone).astimezone(UTC).timestamp())
        for day in sorted(set(days))
    )


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")
