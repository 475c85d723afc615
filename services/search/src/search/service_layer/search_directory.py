"""Reads of the directory: they go to whichever backend is configured."""

from search.domain.query import MentorSearch
from search.domain.results import SearchPage, Suggestion
from search.service_layer.context import Context


async def search_directory(query: MentorSearch, *, ctx: Context) -> SearchPage:
    return await ctx.backend.search(query)


async def suggest_mentors(prefix: str, *, limit: int, ctx: Context) -> list[Suggestion]:
    return await ctx.backend.suggest(prefix, limit=limit)
