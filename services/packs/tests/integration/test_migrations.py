"""The migration builds exactly the tables the code declares."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.ext.asyncio import create_async_engine

from packs.adapters.tables import metadata
from packs.main import ALEMBIC_INI
from shared.messaging.tables import kernel_metadata
from shared.migrate import script_heads
from shared.testing.databases import DatabaseFactory


async def test_the_migrated_schema_matches_the_declared_tables(databases: DatabaseFactory):
    name, url = await databases.create(ALEMBIC_INI)
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": True}),
                    [metadata, kernel_metadata],
                )
            )
    finally:
        await engine.dispose()
        await databases.drop(name)
    ignored = {"packs_alembic_version"}
    differences = [d for d in differences if not _mentions(d, ignored)]
    assert differences == []
    assert script_heads(ALEMBIC_INI) == {"0001"}


def _mentions(difference, names: set[str]) -> bool:
    return any(getattr(part, "name", None) in names for part in _flatten(difference))


def _flatten(item):
    if isinstance(item, (list, tuple)):
        for part in item:
            yield from _flatten(part)
    else:
        yield item
