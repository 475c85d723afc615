"""Create the databases a set of services needs on a Postgres server."""

from collections.abc import Iterable

import asyncpg


async def ensure_databases(admin_url: str, names: Iterable[str]) -> list[str]:
    """Create each database in `names` that is missing; return the ones created.

    `admin_url` is a plain `postgresql://` URL to an existing database (usually `postgres`).
    """
    created: list[str] = []
    conn = await asyncpg.connect(admin_url)
    try:
        for name in names:
            exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
            if not exists:
                quoted = '"' + name.replace('"', '""') + '"'
                await conn.execute(f"CREATE DATABASE {quoted}")
                created.append(name)
    finally:
        await conn.close()
    return created
