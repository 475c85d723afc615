"""The migration builds exactly the tables the code declares."""

from packs.adapters.tables import metadata
from packs.main import ALEMBIC_INI
from shared.migrate import script_heads
from shared.testing.helpers import schema_differences


async def test_the_migrated_schema_matches_the_declared_tables(databases):
    name, url = await databases.create(ALEMBIC_INI)
    try:
        assert await schema_differences(url, metadata) == []
    finally:
        await databases.drop(name)
    assert script_heads(ALEMBIC_INI) == {"0002"}
