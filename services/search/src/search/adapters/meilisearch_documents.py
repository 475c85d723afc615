"""The mentor document as Meilisearch stores it, and the search request our query becomes."""

import json
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from search.domain.document import (
    FACETS,
    FILTERABLE,
    HIGHLIGHTED,
    SEARCHABLE,
    SORTABLE,
    MentorDocument,
)
from search.domain.experience import ExperienceLevel
from search.domain.highlight import POST_TAG, PRE_TAG
from search.domain.query import DAY_SECONDS, MAX_SUGGESTIONS, MentorSearch, SortOrder
from search.domain.results import Hit, SearchPage

PRIMARY_KEY = "mentor_id"
MAX_TOTAL_HITS = 10_000
FACET_NAMES = {"job_family": "job_family", "experience_level": "experience_level"} | {
    "specialty_keys": "specialty"
}

# Derived from the document's declarations; typo budgets close to the embedded backend's
# (pg_trgm finds typos from four letters on).
SETTINGS: dict[str, Any] = {
    "searchableAttributes": list(SEARCHABLE),
    "filterableAttributes": list(FILTERABLE),
    "sortableAttributes": list(SORTABLE),
    "displayedAttributes": ["*"],
    "rankingRules": ["words", "typo", "proximity", "attribute", "sort", "exactness"],
    "typoTolerance": {"enabled": True, "minWordSizeForTypos": {"oneTypo": 4, "twoTypos": 8}},
    "pagination": {"maxTotalHits": MAX_TOTAL_HITS},
    "faceting": {"maxValuesPerFacet": 100},
}

SORTS = {
    SortOrder.rating: ["rating_avg:desc", "rating_count:desc"],
    SortOrder.price_asc: ["price_amount:asc"],
    SortOrder.price_desc: ["price_amount:desc"],
    SortOrder.next_available: ["next_available_ts:asc"],
}


def to_meilisearch(document: MentorDocument) -> dict[str, Any]:
    """JSON fields; unknown values are left out, so that sorts put those mentors last."""
    fields = asdict(document)
    fields["next_available_ts"] = document.next_available_ts
    fields["available_day_starts"] = list(document.available_day_starts)
    body: dict[str, Any] = {}
    for name, value in fields.items():
        if value is None:
            continue
        if isinstance(value, datetime | date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = [v.isoformat() if isinstance(v, date) else v for v in value]
        body[name] = value
    return body


def from_meilisearch(body: dict[str, Any]) -> MentorDocument:
    next_at = body.get("next_available_at")
    return MentorDocument(
        mentor_id=body["mentor_id"],
        display_name=body["display_name"],
        title=body["title"],
        company=body["company"],
        bio=body["bio"],
        specialties=tuple(body["specialties"]),
        specialty_keys=tuple(body["specialty_keys"]),
        job_family=body["job_family"],
        years_experience=body["years_experience"],
        experience_level=ExperienceLevel(body["experience_level"]),
        timezone=body["timezone"],
        accepting_students=body["accepting_students"],
        open_seats=body.get("open_seats"),
        price_amount=body.get("price_amount"),
        currency=body.get("currency"),
        rating_avg=body.get("rating_avg"),
        rating_count=body.get("rating_count", 0),
        next_available_at=datetime.fromisoformat(next_at) if next_at else None,
        available_days=tuple(date.fromisoformat(d) for d in body.get("available_days", ())),
    )


def quoted(value: str) -> str:
    """A filter string literal (JSON escaping is what Meilisearch's filter parser accepts)."""
    return json.dumps(value)


def filters(query: MentorSearch) -> list[str]:
    """Meilisearch filter expressions, ANDed; the same rules as the embedded backend's."""
    found: list[str] = []
    if query.job_family:
        found.append(f"job_family = {quoted(query.job_family)}")
    if query.min_price is not None:
        found.append(f"price_amount >= {query.min_price}")
    if query.max_price is not None:
        found.append(f"price_amount <= {query.max_price}")
    if query.experience_levels:
        levels = ", ".join(quoted(level.value) for level in query.experience_levels)
        found.append(f"experience_level IN [{levels}]")
    if query.accepting_students is not None:
        found.append(f"accepting_students = {str(query.accepting_students).lower()}")
    if query.specialties:
        found.append(f"specialty_keys IN [{', '.join(quoted(s) for s in query.specialties)}]")
    if query.available is not None:
        window = query.available
        # `TO` tests one array element against both bounds (two comparisons could each
        # match a different day).
        found.append(
            f"(next_available_ts {window.start} TO {window.end - 1}"
            f" OR available_day_starts {window.start - DAY_SECONDS + 1} TO {window.end - 1})"
        )
    return found


def search_request(query: MentorSearch) -> dict[str, Any]:
    body: dict[str, Any] = {
        "filter": filters(query),
        "facets": list(FACETS),
        "page": query.page,
        "hitsPerPage": query.per_page,
        "matchingStrategy": "all",
        "attributesToHighlight": list(HIGHLIGHTED),
        "highlightPreTag": PRE_TAG,
        "highlightPostTag": POST_TAG,
    }
    if query.sort in SORTS:
        body["sort"] = [*SORTS[query.sort], "mentor_id:asc"]
    return body


def suggest_request(limit: int) -> dict[str, Any]:
    return {
        "limit": min(limit, MAX_SUGGESTIONS),
        "matchingStrategy": "all",
        "attributesToRetrieve": ["mentor_id", "display_name", "title"],
    }


def to_page(response: dict[str, Any]) -> SearchPage:
    hits = []
    for body in response.get("hits", []):
        formatted = body.get("_formatted", {})
        highlights: dict[str, str | list[str]] = {}
        for field in HIGHLIGHTED:
            value = formatted.get(field)
            if isinstance(value, str) and PRE_TAG in value:
                highlights[field] = value
            elif isinstance(value, list) and any(PRE_TAG in v for v in value):
                highlights[field] = value
        hits.append(Hit(document=from_meilisearch(body), highlights=highlights))
    distribution = response.get("facetDistribution", {})
    facets = {name: dict(distribution.get(field, {})) for field, name in FACET_NAMES.items()}
    return SearchPage(hits=hits, total=response.get("totalHits", 0), facets=facets)
