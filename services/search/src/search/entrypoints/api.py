"""HTTP: the public mentor directory (search, type-ahead) and the operator's rebuild."""

import math
from dataclasses import asdict
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from search.domain.document import MentorDocument
from search.domain.query import MAX_SUGGESTIONS, MentorSearch, window_range
from search.domain.results import Hit, SearchPage
from search.domain.text import key
from search.entrypoints.deps import Deps
from search.entrypoints.schemas import (
    FacetsRead,
    MentorCardRead,
    MentorSearchParams,
    MentorSearchRead,
    RebuildRead,
    SuggestionRead,
    SuggestionsRead,
)
from search.service_layer.rebuild_directory import rebuild_directory
from search.service_layer.search_directory import search_directory, suggest_mentors
from shared.errors import InvalidInput
from shared.http.deps import Admin, ServiceRuntime
from shared.types import ShortText

router = APIRouter(prefix="/v1", tags=["search"])


def to_query(params: MentorSearchParams, *, now: datetime) -> MentorSearch:
    """The domain query; refuses what each parameter alone cannot say is wrong."""
    if params.min_price is not None and params.max_price is not None:
        if params.min_price > params.max_price:
            raise InvalidInput("min_price must not exceed max_price", code="INVALID_PRICE_RANGE")
    available = None
    if params.available is not None:
        available = window_range(params.available, timezone=params.tz, now=now)
    return MentorSearch(
        q=params.q,
        job_family=key(params.job_family) if params.job_family else None,
        min_price=params.min_price,
        max_price=params.max_price,
        experience_levels=tuple(dict.fromkeys(params.experience_level)),
        available=available,
        accepting_students=params.accepting_students,
        specialties=tuple(dict.fromkeys(key(s) for s in params.specialty if key(s))),
        sort=params.sort,
        page=params.page,
        per_page=params.per_page,
    )


CARD_FIELDS = tuple(name for name in MentorCardRead.model_fields if name != "highlights")


def _card(hit: Hit) -> MentorCardRead:
    document: MentorDocument = hit.document
    values = {name: getattr(document, name) for name in CARD_FIELDS}
    values["specialties"] = list(document.specialties)
    values["available_days"] = list(document.available_days)
    return MentorCardRead.model_construct(**values, highlights=hit.highlights)


def to_read(page: SearchPage, query: MentorSearch) -> MentorSearchRead:
    empty = page.total == 0
    return MentorSearchRead(
        items=[_card(hit) for hit in page.hits],
        total=page.total,
        page=query.page,
        per_page=query.per_page,
        pages=math.ceil(page.total / query.per_page),
        facets=FacetsRead(**page.facets),
        empty=empty,
        message="No mentor matches this search." if empty else f"{page.total} mentors match.",
    )


@router.get("/mentors/search", response_model=MentorSearchRead)
async def search(params: Annotated[MentorSearchParams, Query()], deps: Deps) -> MentorSearchRead:
    """Mentors matching `q` (typo tolerant) and the filters, with facet counts and highlights."""
    query = to_query(params, now=deps.clock.now())
    return to_read(await search_directory(query, deps=deps), query)


@router.get("/mentors/suggest", response_model=SuggestionsRead)
async def suggest(
    q: Annotated[ShortText, Query(min_length=1)],
    deps: Deps,
    limit: Annotated[int, Query(ge=1, le=MAX_SUGGESTIONS)] = MAX_SUGGESTIONS,
) -> SuggestionsRead:
    """Type-ahead: mentors with a word starting with what was typed, at most ten."""
    found = await suggest_mentors(q, limit=limit, deps=deps)
    return SuggestionsRead(items=[SuggestionRead(**asdict(s)) for s in found])


@router.post("/admin/rebuilds/directory", response_model=RebuildRead, tags=["operations"])
async def rebuild(_: Admin, deps: Deps, runtime: ServiceRuntime) -> RebuildRead:
    """Rebuild the directory from the owners' snapshots and swap in a fresh index."""
    report = await rebuild_directory(
        deps=deps,
        requester=runtime.bus.requester,
        uow_factory=runtime.uow,
        connection_factory=runtime.connection_factory,
    )
    return RebuildRead(**asdict(report), backend=deps.backend.name)
