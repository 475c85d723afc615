"""The embedded search backend: Postgres full text with a substring fallback.

Meilisearch, typo tolerance, facets and the other filters come with the search issue; the
HTTP shape (items, total, limit, offset) stays.
"""

from dataclasses import dataclass

from sqlalchemy import and_, func, literal, or_, select, true

from search.adapters.tables import mentor_directory as directory
from shared.db import DbSession

TEXT_CONFIG = "english"


@dataclass(frozen=True)
class MentorQuery:
    q: str = ""
    job_family: str | None = None
    accepting: bool | None = None
    limit: int = 20
    offset: int = 0


def accepting_students():
    """A mentor takes students if they say so and packs has not told us they are full."""
    return and_(
        directory.c.accepting_students.is_(True),
        or_(directory.c.open_seats.is_(None), directory.c.open_seats > 0),
    )


async def search_mentors(session: DbSession, query: MentorQuery) -> tuple[list[dict], int]:
    """Matching mentors, best first, and how many match in all (from one snapshot)."""
    await session.execution_options(isolation_level="REPEATABLE READ")
    conditions = [directory.c.profile_at.is_not(None)]
    rank = literal(0.0)
    if text := query.q.strip():
        document = func.concat_ws(
            " ",
            directory.c.display_name,
            directory.c.title,
            directory.c.company,
            directory.c.bio,
            func.array_to_string(directory.c.specialties, " "),
        )
        vector = func.to_tsvector(TEXT_CONFIG, document)
        terms = func.websearch_to_tsquery(TEXT_CONFIG, text)
        conditions.append(or_(vector.op("@@")(terms), document.ilike(_contains(text), escape="\\")))
        rank = func.ts_rank(vector, terms)
    if query.job_family:
        conditions.append(func.lower(directory.c.job_family) == query.job_family.strip().lower())
    if query.accepting is not None:
        conditions.append(accepting_students() if query.accepting else ~accepting_students())
    where = and_(true(), *conditions)

    rows = await session.execute(
        select(directory, accepting_students().label("accepting"))
        .where(where)
        .order_by(
            rank.desc(),
            directory.c.rating_avg.desc().nulls_last(),
            directory.c.display_name,
            directory.c.mentor_id,
        )
        .limit(query.limit)
        .offset(query.offset)
    )
    total = await session.scalar(select(func.count()).select_from(directory).where(where))
    return [dict(row._mapping) for row in rows], total or 0


def _contains(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
