"""Which tables a fact goes to: the live ones, and the shadows while a rebuild fills them."""

from dataclasses import dataclass

from sqlalchemy import Table

from search.adapters.tables import (
    mentor_facts,
    mentor_facts_shadow,
    mentor_products,
    mentor_products_shadow,
    projection_rebuilds,
)
from shared.clock import Clock
from shared.db import ConnectionFactory, DbConnection
from shared.messaging.snapshots import ShadowRebuild


@dataclass(frozen=True)
class DirectoryShadows:
    """One kernel `ShadowRebuild` per table of facts; each has its own marker."""

    facts: ShadowRebuild
    products: ShadowRebuild

    async def fact_tables(self, connection: DbConnection) -> list[Table]:
        return await self.facts.targets(connection)

    async def product_tables(self, connection: DbConnection) -> list[Table]:
        return await self.products.targets(connection)


def directory_shadows(*, connection_factory: ConnectionFactory, clock: Clock) -> DirectoryShadows:
    def shadow(projection: str, live: Table, shadow: Table) -> ShadowRebuild:
        return ShadowRebuild(
            projection=projection,
            live=live,
            shadow=shadow,
            markers=projection_rebuilds,
            connection_factory=connection_factory,
            clock=clock,
        )

    return DirectoryShadows(
        facts=shadow("search-mentor-facts", mentor_facts, mentor_facts_shadow),
        products=shadow("search-mentor-products", mentor_products, mentor_products_shadow),
    )
