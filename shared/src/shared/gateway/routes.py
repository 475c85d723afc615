"""The gateway's route table (`deploy/gateway/routes.toml`), read once into frozen dataclasses.

Every environment's gateway config is rendered from it or checked against it (decision 0015).
"""

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

SERVICE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,30}$")
PUBLIC_PATH = re.compile(r"^(/[a-z0-9][a-z0-9._-]*)+$")
MAX_BODY_LIMIT = 64 * 1024 * 1024  # a sanity bound on the table itself, not a route's limit


class RouteTableError(ValueError):
    """The route table is missing, not TOML, or breaks a rule; the message says which."""


class PublicPathKind(StrEnum):
    webhook = "webhook"  # a provider calls it, signed; no bearer token
    oauth_callback = "oauth_callback"  # a browser comes back from a provider's consent page


@dataclass(frozen=True)
class ServiceRoute:
    """`/api/<name>/...` to the service `name`, the prefix stripped."""

    name: str
    prefix: str  # "/api/packs", no trailing slash
    dev_port: int
    max_body_bytes: int

    def upstream_path(self, path: str) -> str:
        """The path the service sees for a public path under this prefix."""
        if path == self.prefix:
            return "/"
        if not path.startswith(self.prefix + "/"):
            raise ValueError(f"{path!r} is not under {self.prefix}/")
        return path[len(self.prefix) :]


@dataclass(frozen=True)
class PublicPath:
    """One stable public path to one exact path of a service (webhooks, OAuth callbacks)."""

    path: str
    kind: PublicPathKind
    service: str
    upstream_path: str
    max_body_bytes: int


@dataclass(frozen=True)
class RateLimit:
    """A token bucket per client address: `requests_per_second` refill, `burst` tokens."""

    requests_per_second: int
    burst: int


@dataclass(frozen=True)
class RouteTable:
    """The whole table: the gateway's defaults, the service prefixes, the public paths."""

    port: int
    max_body_bytes: int
    route_timeout_seconds: int
    rate_limit: RateLimit
    services: tuple[ServiceRoute, ...]
    public_paths: tuple[PublicPath, ...]

    @property
    def service_names(self) -> tuple[str, ...]:
        return tuple(route.name for route in self.services)

    @property
    def webhooks(self) -> tuple[PublicPath, ...]:
        return tuple(p for p in self.public_paths if p.kind is PublicPathKind.webhook)

    def service(self, name: str) -> ServiceRoute:
        """The route of service `name`; KeyError naming the known ones otherwise."""
        for route in self.services:
            if route.name == name:
                return route
        raise KeyError(f"no route for service {name!r}; known: {', '.join(self.service_names)}")


ROUTE_TABLE = Path("deploy") / "gateway" / "routes.toml"


def default_route_table_path(root: Path) -> Path:
    """Where the table lives in the repository at `root`."""
    return root / ROUTE_TABLE


def find_route_table() -> Path:
    """The repository's table: under `MENTORSHIP_ROOT`, else the nearest parent of the working
    directory (or of this file) that holds one; RouteTableError if none does."""
    if explicit := os.environ.get("MENTORSHIP_ROOT"):
        return default_route_table_path(Path(explicit))
    for start in (Path.cwd(), Path(__file__).resolve()):
        for candidate in (start, *start.parents):
            if (candidate / ROUTE_TABLE).is_file():
                return candidate / ROUTE_TABLE
    raise RouteTableError(f"no {ROUTE_TABLE} above {Path.cwd()}; set MENTORSHIP_ROOT")


def load_route_table(path: Path) -> RouteTable:
    """Read and validate the table at `path`; RouteTableError says what is wrong and where."""
    try:
        raw = tomllib.loads(Path(path).read_text())
    except OSError as exc:
        raise RouteTableError(f"cannot read the route table {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RouteTableError(f"{path}: not valid TOML: {exc}") from exc
    try:
        return parse_route_table(raw)
    except RouteTableError as exc:
        raise RouteTableError(f"{path}: {exc}") from exc


def parse_route_table(raw: Mapping[str, Any]) -> RouteTable:
    """The table from its parsed TOML; RouteTableError on the first broken rule."""
    _only_keys(raw, {"gateway", "services", "public_paths"}, where="the table")
    gateway = _table(raw, "gateway", where="the table")
    _only_keys(
        gateway,
        {
            "port",
            "max_body_bytes",
            "route_timeout_seconds",
            "requests_per_second_per_client",
            "burst_per_client",
        },
        where="[gateway]",
    )
    default_body = _int(gateway, "max_body_bytes", where="[gateway]", high=MAX_BODY_LIMIT)
    table = RouteTable(
        port=_int(gateway, "port", where="[gateway]", high=65535),
        max_body_bytes=default_body,
        route_timeout_seconds=_int(gateway, "route_timeout_seconds", where="[gateway]", high=3600),
        rate_limit=RateLimit(
            requests_per_second=_int(
                gateway, "requests_per_second_per_client", where="[gateway]", high=1_000_000
            ),
            burst=_int(gateway, "burst_per_client", where="[gateway]", high=1_000_000),
        ),
        services=tuple(
            _service(entry, index, default_body)
            for index, entry in enumerate(_list(raw, "services"))
        ),
        public_paths=tuple(
            _public_path(entry, index, default_body)
            for index, entry in enumerate(_list(raw, "public_paths"))
        ),
    )
    _check_unique(table)
    return table


def _service(entry: Any, index: int, default_body: int) -> ServiceRoute:
    where = f"services[{index}]"
    if not isinstance(entry, dict):
        raise RouteTableError(f"{where} must be a table")
    _only_keys(entry, {"name", "prefix", "dev_port", "max_body_bytes"}, where=where)
    name = _str(entry, "name", where=where)
    if not SERVICE_NAME.match(name):
        raise RouteTableError(f"{where}.name {name!r} must be lower-case letters, digits, _")
    prefix = _str(entry, "prefix", where=where)
    if prefix != f"/api/{name}":
        raise RouteTableError(f"{where}.prefix must be '/api/{name}', not {prefix!r}")
    return ServiceRoute(
        name=name,
        prefix=prefix,
        dev_port=_int(entry, "dev_port", where=where, high=65535),
        max_body_bytes=_int(
            entry, "max_body_bytes", where=where, high=MAX_BODY_LIMIT, default=default_body
        ),
    )


def _public_path(entry: Any, index: int, default_body: int) -> PublicPath:
    where = f"public_paths[{index}]"
    if not isinstance(entry, dict):
        raise RouteTableError(f"{where} must be a table")
    _only_keys(entry, {"path", "kind", "service", "upstream_path", "max_body_bytes"}, where=where)
    path = _str(entry, "path", where=where)
    upstream = _str(entry, "upstream_path", where=where)
    for key, value in (("path", path), ("upstream_path", upstream)):
        if not PUBLIC_PATH.match(value):
            raise RouteTableError(
                f"{where}.{key} {value!r} must be an absolute lower-case path "
                "without a trailing slash"
            )
    if path.startswith("/api/"):
        raise RouteTableError(f"{where}.path {path!r} must not be under /api/ (service prefixes)")
    kind = _str(entry, "kind", where=where)
    if kind not in PublicPathKind.__members__:
        raise RouteTableError(
            f"{where}.kind {kind!r} must be one of {', '.join(PublicPathKind.__members__)}"
        )
    return PublicPath(
        path=path,
        kind=PublicPathKind(kind),
        service=_str(entry, "service", where=where),
        upstream_path=upstream,
        max_body_bytes=_int(
            entry, "max_body_bytes", where=where, high=MAX_BODY_LIMIT, default=default_body
        ),
    )


def _check_unique(table: RouteTable) -> None:
    names = table.service_names
    if not names:
        raise RouteTableError("the table names no [[services]]")
    for name in names:
        if names.count(name) > 1:
            raise RouteTableError(f"service {name!r} appears twice")
    ports = [route.dev_port for route in table.services]
    for route in table.services:
        if ports.count(route.dev_port) > 1 or route.dev_port == table.port:
            raise RouteTableError(f"dev_port {route.dev_port} of {route.name!r} is not unique")
    paths = [p.path for p in table.public_paths]
    for public in table.public_paths:
        if paths.count(public.path) > 1:
            raise RouteTableError(f"public path {public.path!r} appears twice")
        if public.service not in names:
            raise RouteTableError(
                f"public path {public.path!r} names service {public.service!r}, "
                f"which has no [[services]] entry"
            )


def _only_keys(raw: Mapping[str, Any], allowed: set[str], *, where: str) -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise RouteTableError(
            f"{where} has unknown key(s) {', '.join(unknown)}; "
            f"allowed: {', '.join(sorted(allowed))}"
        )


def _table(raw: Mapping[str, Any], key: str, *, where: str) -> Mapping[str, Any]:
    value = raw.get(key)
    if not isinstance(value, dict):
        raise RouteTableError(f"{where} needs a [{key}] table")
    return value


def _list(raw: Mapping[str, Any], key: str) -> list[Any]:
    value = raw.get(key, [])
    if not isinstance(value, list):
        raise RouteTableError(f"{key} must be an array of tables ([[{key}]])")
    return value


def _str(raw: Mapping[str, Any], key: str, *, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value:
        raise RouteTableError(f"{where}.{key} must be a non-empty string")
    return value


def _int(
    raw: Mapping[str, Any], key: str, *, where: str, high: int, default: int | None = None
) -> int:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= high:
        raise RouteTableError(f"{where}.{key} must be an integer from 1 to {high}, not {value!r}")
    return value
