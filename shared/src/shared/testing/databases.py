"""Fresh databases per test, cloned from a template migrated once per session."""

import asyncio
import uuid
from pathlib import Path

import asyncpg

from shared.migrate import upgrade_to_head


def _with_database(admin_url: str, database: str) -> str:
    base, _, _ = admin_url.rpartition("/")
    return f"{base}/{database}"


def asyncpg_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+asyncpg://", 1)


class DatabaseFactory:
    """Creates `t_<hex>` databases from per-service templates; drops them when asked."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self._templates: dict[Path, str] = {}
        self._lock = asyncio.Lock()
        self._prefix = f"tpl_{uuid.uuid4().hex[:6]}_"

    async def _execute(self, sql: str) -> None:
        connection = await asyncpg.connect(self.admin_url)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    async def _template(self, alembic_ini: Path) -> str:
        async with self._lock:
            if alembic_ini not in self._templates:
                name = f"{self._prefix}{alembic_ini.parent.name}"
                await self._execute(f'CREATE DATABASE "{name}"')
                url = asyncpg_url(_with_database(self.admin_url, name))
                await asyncio.to_thread(upgrade_to_head, alembic_ini, url)
                self._templates[alembic_ini] = name
            return self._templates[alembic_ini]

    async def create(self, alembic_ini: Path | None = None) -> tuple[str, str]:
        """(database name, SQLAlchemy asyncpg URL) of a new database, migrated if asked."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        template = f' TEMPLATE "{await self._template(alembic_ini)}"' if alembic_ini else ""
        await self._execute(f'CREATE DATABASE "{name}"{template}')
        return name, asyncpg_url(_with_database(self.admin_url, name))

    async def drop(self, name: str) -> None:
        await self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    async def drop_templates(self) -> None:
        for name in self._templates.values():
            await self.drop(name)
