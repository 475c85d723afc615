"""Rebuild the directory from the owners' snapshots, complete although the stream keeps 7 days.

Kernel mechanism (decision 0006): shadow tables filled from paged snapshots through the same
order-safe handlers while live events keep flowing into both, swapped in one transaction
each; then the backend gets a fresh index of every document, swapped in without a gap.
"""

from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass

from search.adapters import facts
from search.domain.document import MentorDocument, build_document
from search.domain.stamp import Stamp
from search.service_layer.dependencies import Dependencies
from search.service_layer.record_facts import record_facts
from shared.db import ConnectionFactory
from shared.messaging.snapshots import Requests, fetch_snapshot
from shared.uow import UnitOfWork

# The owners' snapshot subjects (`snapshot.<aggregate>`) and the facts each carries.
SNAPSHOT_SOURCES = (
    "mentor",  # booking: mentor.updated, mentor.availability_changed, review.submitted
    "mentor_capacity",  # packs: mentor.capacity_changed
    "product",  # payments: product.updated
)


@dataclass(frozen=True)
class RebuildReport:
    mentors: int
    products: int
    documents: int
    snapshot_items: int


async def rebuild_directory(
    *,
    deps: Dependencies,
    requester: Requests,
    uow_factory: Callable[[], UnitOfWork],
    connection_factory: ConnectionFactory,
    page_size: int = 200,
) -> RebuildReport:
    """Fill the shadows from every snapshot, swap them in, then give the backend a fresh index."""
    shadows = deps.shadows
    facts_rebuild = await shadows.facts.start()
    try:
        products_rebuild = await shadows.products.start()
    except BaseException:
        await shadows.facts.abandon(facts_rebuild)
        raise
    items = 0
    try:
        for aggregate in SNAPSHOT_SOURCES:
            pages = fetch_snapshot(requester, aggregate=aggregate, page_size=page_size)
            async for page in pages:
                snapshot = [(e.payload(), Stamp(e.occurred_at, e.id)) for e in page]
                async with uow_factory() as uow:
                    await record_facts(snapshot, uow=uow, deps=deps, live=False)
                    await uow.commit()
                items += len(page)
        mentors = await shadows.facts.swap(facts_rebuild)
        products = await shadows.products.swap(products_rebuild)
    except BaseException:
        await shadows.facts.abandon(facts_rebuild)
        await shadows.products.abandon(products_rebuild)
        raise
    documents = await reindex_all(
        deps=deps, uow_factory=uow_factory, connection_factory=connection_factory
    )
    return RebuildReport(
        mentors=mentors, products=products, documents=documents, snapshot_items=items
    )


async def reindex_all(
    *,
    deps: Dependencies,
    uow_factory: Callable[[], UnitOfWork],
    connection_factory: ConnectionFactory,
) -> int:
    """A fresh backend index of every listed mentor, then the documents that changed meanwhile."""
    started = deps.clock.now()
    written = await deps.backend.replace_all(_documents(connection_factory))
    async with uow_factory() as uow:
        changed = [build_document(f) for f in await facts.changed_since(uow.connection, started)]
        await deps.backend.index([d for d in changed if d is not None], uow=uow)
        await uow.commit()
    return written


async def _documents(
    connection_factory: ConnectionFactory,
) -> AsyncIterator[Sequence[MentorDocument]]:
    async with connection_factory() as connection:
        async for batch in facts.all_facts(connection):
            documents = [build_document(f) for f in batch]
            yield [d for d in documents if d is not None]
