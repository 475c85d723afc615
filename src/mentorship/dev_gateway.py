"""The gateway of `mentorship dev`: Envoy on one port in front of the running services."""

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from mentorship.adminapi import dev_secret
from shared.embedded.gateway import EmbeddedGateway
from shared.gateway.envoy import JwtSettings, Upstream
from shared.gateway.routes import RouteTable, default_route_table_path, load_route_table

CORS_ORIGINS_ENV = "MENTORSHIP_CORS_ORIGINS"
# A browser front-end served from this machine, on any port (Vite, Next, CRA...).
DEFAULT_CORS_ORIGINS = ("http://localhost:*", "http://127.0.0.1:*")


def route_table(root: Path) -> RouteTable:
    return load_route_table(default_route_table_path(root))


def cors_origins() -> tuple[str, ...]:
    """`MENTORSHIP_CORS_ORIGINS` (comma-separated; empty: no CORS), else localhost origins."""
    raw = os.environ.get(CORS_ORIGINS_ENV)
    if raw is None:
        return DEFAULT_CORS_ORIGINS
    return tuple(origin.strip() for origin in raw.split(",") if origin.strip())


def dev_gateway(
    root: Path,
    *,
    upstreams: Mapping[str, Upstream],
    port: int | None,
    origins: Sequence[str],
) -> EmbeddedGateway:
    """The gateway (not started) with the dev secret the services verify tokens with."""
    return EmbeddedGateway(
        route_table(root),
        upstreams=upstreams,
        jwt=JwtSettings(dev_secret=dev_secret()),
        cors_origins=origins,
        port=port,
        work_dir=root / ".dev" / "gateway",
    )
