"""Run a service's Alembic migrations through the kernel's `upgrade_to_head`."""

from pathlib import Path

from mentorship.services import Service
from shared.migrate import upgrade_to_head


class MigrationError(RuntimeError):
    """Migrations could not run; the message says why."""


def upgrade(service: Service, *, root: Path, database_url: str) -> None:
    """Bring `service`'s database at `database_url` to the head revision."""
    alembic_ini = service.alembic_ini(root)
    if not alembic_ini.is_file():
        raise MigrationError(f"{service.name}: {alembic_ini} not found")
    try:
        upgrade_to_head(alembic_ini, database_url)
    except Exception as exc:
        raise MigrationError(f"{service.name}: migrations failed: {exc!r}") from exc
