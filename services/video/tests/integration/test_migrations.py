"""The migrations build exactly the tables the code declares."""

from shared.migrate import script_heads
from shared.testing.helpers import schema_differences
from video.adapters.tables import metadata
from video.main import ALEMBIC_INI


async def test_the_migrated_schema_matches_the_declared_tables(databases):
    name, url = await databases.create(ALEMBIC_INI)
    try:
        assert await schema_differences(url, metadata) == []
    finally:
        await databases.drop(name)
    assert script_heads(ALEMBIC_INI) == {"0002"}
