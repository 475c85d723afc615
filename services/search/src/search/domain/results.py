"""What a search answers: one page of hits with highlights, the total and the facet counts."""

from dataclasses import dataclass, field

from search.domain.document import MentorDocument


@dataclass(frozen=True)
class Hit:
    document: MentorDocument
    highlights: dict[str, str | list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class SearchPage:
    hits: list[Hit]
    total: int
    facets: dict[str, dict[str, int]]


@dataclass(frozen=True)
class Suggestion:
    mentor_id: str
    display_name: str
    title: str
