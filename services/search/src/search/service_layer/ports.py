"""The one port every search backend implements (embedded Postgres or Meilisearch)."""

from collections.abc import Sequence
from typing import Protocol

from search.domain.document import DocumentBatches, MentorDocument
from search.domain.query import MentorSearch
from search.domain.results import SearchPage, Suggestion
from shared.uow import UnitOfWork


class SearchBackend(Protocol):
    name: str

    async def prepare(self) -> None:
        """Create the index and apply its settings; called once at start."""

    async def index(
        self, documents: Sequence[MentorDocument], *, uow: UnitOfWork, text_changed: bool = True
    ) -> None:
        """Make these documents searchable, as part of the unit of work's transaction.

        Raising rolls the unit of work back, so a fact is recorded only once its document
        reached the backend. `text_changed=False` says only filters or sorts changed.
        """

    async def search(self, query: MentorSearch) -> SearchPage: ...

    async def suggest(self, prefix: str, *, limit: int) -> list[Suggestion]: ...

    async def replace_all(self, batches: DocumentBatches) -> int:
        """Fill a fresh index with every document and swap it in; returns how many."""
        ...
