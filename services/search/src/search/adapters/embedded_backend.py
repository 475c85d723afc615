"""The embedded backend: Postgres full text (weighted tsvector) plus pg_trgm for typos."""

from collections.abc import Sequence
from datetime import date

from search.adapters import embedded_index, embedded_search
from search.domain.document import HIGHLIGHTED, DocumentBatches, MentorDocument
from search.domain.experience import ExperienceLevel
from search.domain.highlight import highlight
from search.domain.query import MentorSearch
from search.domain.results import Hit, SearchPage, Suggestion
from shared.db import AnyRow, ConnectionFactory
from shared.uow import UnitOfWork


class EmbeddedBackend:
    """Needs no server of its own: the index is a table of search's database."""

    name = "embedded"

    def __init__(self, connection_factory: ConnectionFactory) -> None:
        self._connection_factory = connection_factory

    async def prepare(self) -> None:
        """The migrations created the index, its vocabulary and text search configurations."""

    async def index(
        self, documents: Sequence[MentorDocument], *, uow: UnitOfWork, text_changed: bool = True
    ) -> None:
        await embedded_index.write_documents(
            uow.connection, documents, with_vocabulary=text_changed
        )

    async def search(self, query: MentorSearch) -> SearchPage:
        async with self._connection_factory() as connection:
            await connection.execution_options(isolation_level="REPEATABLE READ")
            async with connection.begin():
                match = await embedded_search.text_match(connection, query.q)
                rows, total, facets = await embedded_search.search_rows(connection, query, match)
        terms = match.terms if match else frozenset()
        return SearchPage(hits=[_hit(row, terms) for row in rows], total=total, facets=facets)

    async def suggest(self, prefix: str, *, limit: int) -> list[Suggestion]:
        async with self._connection_factory() as connection:
            rows = await embedded_search.suggest_rows(connection, prefix, limit=limit)
        return [Suggestion(row.mentor_id, row.display_name, row.title) for row in rows]

    async def replace_all(self, batches: DocumentBatches) -> int:
        """One transaction: readers see the old index until the new one is committed whole."""
        written = 0
        async with self._connection_factory() as connection:
            async with connection.begin():
                await embedded_index.delete_all(connection)
                async for documents in batches:
                    await embedded_index.write_documents(connection, documents)
                    written += len(documents)
        return written


def to_document(row: AnyRow) -> MentorDocument:
    m = row._mapping
    return MentorDocument(
        mentor_id=m["mentor_id"],
        display_name=m["display_name"],
        title=m["title"],
        company=m["company"],
        bio=m["bio"],
        specialties=tuple(m["specialties"]),
        specialty_keys=tuple(m["specialty_keys"]),
        job_family=m["job_family"],
        years_experience=m["years_experience"],
        experience_level=ExperienceLevel(m["experience_level"]),
        timezone=m["timezone"],
        accepting_students=m["accepting_students"],
        open_seats=m["open_seats"],
        price_amount=m["price_amount"],
        currency=m["currency"],
        rating_avg=m["rating_avg"],
        rating_count=m["rating_count"],
        next_available_at=m["next_available_at"],
        available_days=tuple[date, ...](m["available_days"]),
    )


def _hit(row: AnyRow, terms: frozenset[str]) -> Hit:
    document = to_document(row)
    marked: dict[str, str | list[str]] = {}
    for field in HIGHLIGHTED:
        value = getattr(document, field)
        if isinstance(value, tuple):
            found = [highlight(text, terms) for text in value]
            if any(found):
                marked[field] = [f or t for f, t in zip(found, value, strict=True)]
        elif (one := highlight(value, terms)) is not None:
            marked[field] = one
    return Hit(document=document, highlights=marked)
