"""The registry of the suite's services: names, ASGI factories, dev ports, env prefixes."""

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Service:
    """One service of the suite and where to find its parts."""

    name: str
    dev_port: int

    @property
    def app(self) -> str:
        """Import path of the ASGI factory, for `uvicorn --factory`."""
        return f"{self.name}.main:create_app"

    @property
    def env_prefix(self) -> str:
        """Prefix of every environment variable of this service's settings."""
        return f"{self.name.upper()}_"

    def env_var(self, field: str) -> str:
        """The environment variable of a settings field (`database_url` -> `PACKS_DATABASE_URL`)."""
        return f"{self.env_prefix}{field.upper()}"

    def alembic_ini(self, root: Path) -> Path:
        """The service's Alembic config inside the repository at `root`."""
        return root / "services" / self.name / "alembic.ini"

    def dev_url(self) -> str:
        """Base URL of the service as `mentorship dev` runs it."""
        return f"http://127.0.0.1:{self.dev_port}"


SERVICES: tuple[Service, ...] = (
    Service("payments", 8101),
    Service("packs", 8102),
    Service("booking", 8103),
    Service("notifications", 8104),
    Service("video", 8105),
    Service("search", 8106),
)
SERVICE_NAMES: tuple[str, ...] = tuple(s.name for s in SERVICES)


def get_service(name: str) -> Service:
    """The service called `name`; KeyError with the known names otherwise."""
    for service in SERVICES:
        if service.name == name:
            return service
    raise KeyError(f"unknown service {name!r}; known: {', '.join(SERVICE_NAMES)}")


def select(names: list[str] | None) -> list[Service]:
    """The named services in registry order, or all of them when `names` is empty."""
    if not names:
        return list(SERVICES)
    wanted = {get_service(n).name for n in names}
    return [s for s in SERVICES if s.name in wanted]


def repo_root() -> Path:
    """The repository root: `MENTORSHIP_ROOT`, else the nearest parent holding `services/`."""
    if explicit := os.environ.get("MENTORSHIP_ROOT"):
        return Path(explicit).resolve()
    for start in (Path.cwd(), Path(__file__).resolve()):
        for candidate in (start, *start.parents):
            if (candidate / "services").is_dir() and (candidate / "pyproject.toml").is_file():
                return candidate
    return Path.cwd()
