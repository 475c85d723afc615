import asyncio

import pytest
from search.config import Settings
from search.main import ALEMBIC_INI, create_app


@pytest.fixture
async def search_service(event_probe, start_service):
    # The probe must declare the stream first: `ensure_stream` refuses the one FastStream made.
    return await start_service(create_app, Settings, ALEMBIC_INI)


async def eventually(check, *, within: float = 10.0):
    """Poll `check()` until it returns something truthy; fail after `within` seconds."""
    async with asyncio.timeout(within):
        while not (result := await check()):  # noqa: ASYNC110 - polling a database
            await asyncio.sleep(0.05)
    return result


async def schema_differences(database_url: str, metadata) -> list:
    """What autogenerate would change to make the migrated database match `metadata`."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy.ext.asyncio import create_async_engine

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


async def processed(service, event_id) -> bool:
    """True once some consumer of the service has applied (or skipped) the event."""
    from shared.messaging.tables import inbox
    from sqlalchemy import select

    async with service.runtime.session_factory() as session:
        found = await session.execute(select(inbox.c.event_id).where(inbox.c.event_id == event_id))
        return found.first() is not None
