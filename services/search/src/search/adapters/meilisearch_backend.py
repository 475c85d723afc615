"""The Meilisearch backend: settings applied at start, tasks awaited, index swap for rebuilds.

The `meilisearch` client is synchronous (requests); every call runs in a worker thread.
"""

import asyncio
import uuid
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import meilisearch
from meilisearch.errors import MeilisearchApiError, MeilisearchError

from search.adapters.meilisearch_documents import (
    PRIMARY_KEY,
    SETTINGS,
    search_request,
    suggest_request,
    to_meilisearch,
    to_page,
)
from search.domain.document import DocumentBatches, MentorDocument
from search.domain.query import MentorSearch
from search.domain.results import SearchPage, Suggestion
from shared.errors import Unavailable
from shared.uow import UnitOfWork

T = TypeVar("T")


class MeilisearchTaskFailed(RuntimeError):
    """Meilisearch accepted a task and then failed it (its error is in the message)."""


class MeilisearchBackend:
    name = "meilisearch"

    def __init__(
        self, *, url: str, api_key: str, index_uid: str, timeout_seconds: float = 5.0
    ) -> None:
        self._client = meilisearch.Client(
            url, api_key or None, timeout=max(1, int(timeout_seconds))
        )
        self._uid = index_uid
        self._task_timeout_ms = int(timeout_seconds * 1000)

    async def _call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await asyncio.to_thread(function, *args, **kwargs)

    async def _wait(self, task_uid: int, *, allow: tuple[str, ...] = ()) -> None:
        task = await self._call(
            self._client.wait_for_task, task_uid, timeout_in_ms=self._task_timeout_ms
        )
        if task.status != "succeeded":
            code = (task.error or {}).get("code", "")
            if code not in allow:
                raise MeilisearchTaskFailed(f"task {task_uid} {task.status}: {task.error}")

    async def _create(self, uid: str) -> None:
        info = await self._call(self._client.create_index, uid, {"primaryKey": PRIMARY_KEY})
        await self._wait(info.task_uid, allow=("index_already_exists",))
        settings = await self._call(self._client.index(uid).update_settings, dict(SETTINGS))
        await self._wait(settings.task_uid)

    async def prepare(self) -> None:
        await self._create(self._uid)

    async def index(
        self, documents: Sequence[MentorDocument], *, uow: UnitOfWork, text_changed: bool = True
    ) -> None:
        """Awaited before the unit of work commits: a fact counts only once it is searchable."""
        if documents:
            await self._add(self._uid, documents)

    async def _add(self, uid: str, documents: Sequence[MentorDocument]) -> None:
        body = [to_meilisearch(document) for document in documents]
        info = await self._call(self._client.index(uid).add_documents, body, PRIMARY_KEY)
        await self._wait(info.task_uid)

    async def search(self, query: MentorSearch) -> SearchPage:
        try:
            response = await self._call(
                self._client.index(self._uid).search, query.q, search_request(query)
            )
        except (MeilisearchApiError, MeilisearchError, OSError) as exc:
            raise Unavailable(
                f"the search server failed: {exc}", code="SEARCH_UNAVAILABLE"
            ) from exc
        return to_page(response)

    async def suggest(self, prefix: str, *, limit: int) -> list[Suggestion]:
        try:
            response = await self._call(
                self._client.index(self._uid).search, prefix, suggest_request(limit)
            )
        except (MeilisearchApiError, MeilisearchError, OSError) as exc:
            raise Unavailable(
                f"the search server failed: {exc}", code="SEARCH_UNAVAILABLE"
            ) from exc
        return [
            Suggestion(hit["mentor_id"], hit["display_name"], hit["title"])
            for hit in response.get("hits", [])
        ]

    async def replace_all(self, batches: DocumentBatches) -> int:
        """A fresh index with the same settings, filled, then swapped with the live one."""
        fresh = f"{self._uid}_{uuid.uuid4().hex[:12]}"
        await self._create(fresh)
        written = 0
        try:
            async for documents in batches:
                if documents:
                    await self._add(fresh, documents)
                    written += len(documents)
            swap = await self._call(self._client.swap_indexes, [{"indexes": [self._uid, fresh]}])
            await self._wait(swap.task_uid)
        finally:
            # After the swap `fresh` names the old documents; before it, a half-filled index.
            dropped = await self._call(self._client.delete_index, fresh)
            await self._wait(dropped.task_uid)
        return written
