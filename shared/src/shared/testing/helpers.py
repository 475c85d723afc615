"""Small helpers for tests: poll until true, and compare a migrated schema with its tables."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy import Connection, MetaData
from sqlalchemy.ext.asyncio import create_async_engine

T = TypeVar("T")


async def eventually(check: Callable[[], Awaitable[T]], *, within: float = 10.0) -> T:
    """Poll `check()` until it returns something truthy; fail after `within` seconds."""
    async with asyncio.timeout(within):
        while not (result := await check()):  # noqa: ASYNC110 - polling a database
            await asyncio.sleep(0.05)
    return result


async def schema_differences(database_url: str, metadata: MetaData) -> list[Any]:
    """What autogenerate would change to make the migrated database match `metadata`."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    def own_tables(name: str | None, type_: str, parent_names: object) -> bool:
        return type_ != "table" or name in metadata.tables

    def compare(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(
            connection, opts={"include_name": own_tables, "compare_type": True}
        )
        differences: list[Any] = compare_metadata(context, metadata)
        return differences

    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(compare)
    finally:
        await engine.dispose()
