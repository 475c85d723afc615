"""Run a service's Alembic migrations through the kernel's `upgrade_to_head`."""

import asyncio
import importlib
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mentorship.services import Service

# Where the kernel may keep `upgrade_to_head(alembic_ini, database_url)`, first match wins.
UPGRADE_MODULES = ("shared.db.migrate", "shared.migrate")


class MigrationError(RuntimeError):
    """Migrations could not run; the message says why."""


class MigrationsUnavailable(MigrationError):
    """The kernel has no `upgrade_to_head` to call."""


def upgrade_function() -> Callable[[Path, str], Any]:
    """The kernel's `upgrade_to_head`, or MigrationsUnavailable."""
    for module_name in UPGRADE_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        if hasattr(module, "upgrade_to_head"):
            return module.upgrade_to_head
    raise MigrationsUnavailable(f"no upgrade_to_head in {' or '.join(UPGRADE_MODULES)}")


def upgrade(service: Service, *, root: Path, database_url: str) -> None:
    """Bring `service`'s database at `database_url` to the head revision."""
    upgrade_to_head = upgrade_function()
    alembic_ini = service.alembic_ini(root)
    if not alembic_ini.is_file():
        raise MigrationError(f"{service.name}: {alembic_ini} not found")
    try:
        result = upgrade_to_head(alembic_ini, database_url)
        if inspect.isawaitable(result):
            asyncio.run(_wait(result))
    except Exception as exc:
        raise MigrationError(f"{service.name}: migrations failed: {exc!r}") from exc


async def _wait(awaitable: Any) -> None:
    """Await the result of an async `upgrade_to_head`."""
    await awaitable
