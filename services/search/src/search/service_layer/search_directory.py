"""Reads of the directory: they go to whichever backend is configured."""

from search.domain.query import MentorSearch
from search.domain.results import SearchPage, Suggestion
from search.service_layer.dependencies import Dependencies


async def search_directory(query: MentorSearch, *, deps: Dependencies) -> SearchPage:
    return await deps.backend.search(query)


async def suggest_mentors(prefix: str, *, limit: int, deps: Dependencies) -> list[Suggestion]:
    return await deps.backend.suggest(prefix, limit=limit)
