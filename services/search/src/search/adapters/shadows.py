"""Which tables a fact goes to: the live ones, and the shadows while a rebuild fills them."""

from dataclasses import dataclass

from sqlalchemy import Table, select

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

FACTS_PROJECTION = "search-mentor-facts"
PRODUCTS_PROJECTION = "search-mentor-products"
MARKERS = select(projection_rebuilds.c.projection).where(
    projection_rebuilds.c.projection.in_((FACTS_PROJECTION, PRODUCTS_PROJECTION))
)


@dataclass(frozen=True)
class DirectoryShadows:
    """One kernel `ShadowRebuild` per table of facts; each has its own marker."""

    facts: ShadowRebuild
    products: ShadowRebuild

    async def targets(self, connection: DbConnection) -> tuple[list[Table], list[Table]]:
        """(fact tables, product tables) a live fact goes to now, from one read of the markers.

        The same rule as the kernel's `ShadowRebuild.targets`, for both projections at once.
        """
        rebuilding = set(await connection.scalars(MARKERS))

        def tables(rebuild: ShadowRebuild) -> list[Table]:
            live = [rebuild.live]
            return live + [rebuild.shadow] if rebuild.projection in rebuilding else live

        return tables(self.facts), tables(self.products)


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
        facts=shadow(FACTS_PROJECTION, mentor_facts, mentor_facts_shadow),
        products=shadow(PRODUCTS_PROJECTION, mentor_products, mentor_products_shadow),
    )
