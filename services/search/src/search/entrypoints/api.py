"""HTTP: the public mentor directory."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from search.query import MentorQuery, search_mentors

router = APIRouter(prefix="/v1", tags=["search"])


class MentorCardRead(BaseModel):
    mentor_id: str
    display_name: str
    title: str
    company: str
    bio: str
    specialties: list[str]
    job_family: str
    years_experience: int
    timezone: str
    accepting: bool
    open_seats: int | None
    rating_avg: float | None
    rating_count: int | None


class MentorSearchRead(BaseModel):
    items: list[MentorCardRead]
    total: int
    limit: int
    offset: int


@router.get("/mentors/search", response_model=MentorSearchRead)
async def search(
    request: Request,
    q: Annotated[str, Query(max_length=200)] = "",
    job_family: Annotated[str | None, Query(max_length=50)] = None,
    accepting: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
) -> dict:
    """Mentors matching the words of `q` (name, title, company, bio, specialties), best first."""
    query = MentorQuery(q=q, job_family=job_family, accepting=accepting, limit=limit, offset=offset)
    async with request.app.state.runtime.session_factory() as db:
        items, total = await search_mentors(db, query)
    return {"items": items, "total": total, "limit": limit, "offset": offset}
