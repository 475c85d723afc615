"""Small helpers for tests: poll until true, and compare a migrated schema with its tables."""

import asyncio

from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import create_async_engine


async def eventually(check, *, within: float = 10.0):
    """Poll `check()` until it returns something truthy; fail after `within` seconds."""
    async with asyncio.timeout(within):
        while not (result := await check()):  # noqa: ASYNC110 - polling a database
            await asyncio.sleep(0.05)
    return result


async def schema_differences(database_url: str, metadata: MetaData) -> list:
    """What autogenerate would change to make the migrated database match `metadata`."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    def own_tables(name, type_, parent_names) -> bool:
        return type_ != "table" or name in metadata.tables

    def compare(connection):
        context = MigrationContext.configure(
            connection, opts={"include_name": own_tables, "compare_type": True}
        )
        return compare_metadata(context, metadata)

    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(compare)
    finally:
        await engine.dispose()
