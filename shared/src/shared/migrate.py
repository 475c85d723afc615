"""Alembic for every service: one env runner, programmatic upgrade, and the head check."""

import asyncio
import zlib
from functools import cache
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, pool, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine


def version_table(service: str) -> str:
    return f"{service}_alembic_version"


def alembic_config(alembic_ini: Path, database_url: str) -> Config:
    config = Config(str(alembic_ini))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade_to_head(alembic_ini: Path, database_url: str) -> None:
    """Run `alembic upgrade head` (blocking; from async code use `asyncio.to_thread`)."""
    command.upgrade(alembic_config(alembic_ini, database_url), "head")


@cache
def script_heads(alembic_ini: Path) -> frozenset[str]:
    """The revisions a database must be at; read once per process."""
    return frozenset(ScriptDirectory.from_config(Config(str(alembic_ini))).get_heads())


async def current_revisions(connection: AsyncConnection, service: str) -> set[str]:
    def read(sync_connection: Connection) -> set[str]:
        migration = MigrationContext.configure(
            sync_connection, opts={"version_table": version_table(service)}
        )
        return set(migration.get_current_heads())

    return await connection.run_sync(read)


def run_env(*, service: str, target_metadata: list[MetaData]) -> None:
    """The body of every service's `migrations/env.py`."""
    url = context.config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError(f"{service}: alembic.ini sets no sqlalchemy.url")

    def run(connection: Connection) -> None:
        # Replicas that start together migrate one at a time; the others then find the head.
        lock = {"key": zlib.crc32(version_table(service).encode())}
        connection.execute(text("SELECT pg_advisory_lock(:key)"), lock)
        connection.commit()
        try:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                version_table=version_table(service),
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), lock)
            connection.commit()

    async def run_async() -> None:
        engine = create_async_engine(url, poolclass=pool.NullPool)
        async with engine.connect() as connection:
            await connection.run_sync(run)
        await engine.dispose()

    if context.is_offline_mode():
        context.configure(
            url=url,
            target_metadata=target_metadata,
            version_table=version_table(service),
            literal_binds=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    else:
        asyncio.run(run_async())


def create_kernel_tables() -> None:
    """For a service's first migration: outbox, inbox and dead letters."""
    from alembic import op

    from shared.messaging.tables import kernel_metadata

    kernel_metadata.create_all(op.get_bind())


def drop_kernel_tables() -> None:
    from alembic import op

    from shared.messaging.tables import kernel_metadata

    kernel_metadata.drop_all(op.get_bind())
