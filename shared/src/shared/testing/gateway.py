"""The `start_gateway` fixture: a real Envoy (the suite's gateway) in front of given upstreams.

Registered by the kernel's pytest plugin, next to the journey fixtures.
"""

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from pathlib import Path

import pytest

from shared.auth_dev import DEV_JWT_SECRET
from shared.embedded.gateway import EmbeddedGateway
from shared.gateway.envoy import JwtSettings
from shared.gateway.routes import RouteTable, find_route_table, load_route_table

StartGateway = Callable[..., Awaitable["GatewayStarted"]]


class GatewayStarted(str):
    """The gateway's base URL (a `str`), with the running `EmbeddedGateway` as `.server`."""

    server: EmbeddedGateway


@pytest.fixture
async def start_gateway(tmp_path: Path) -> AsyncIterator[StartGateway]:
    """`url = await start_gateway({"packs": packs_url, "booking": booking_url})`: the base URL of a
    running Envoy rendered from the repository's route table (`deploy/gateway/routes.toml`),
    `/api/<service>/...` and the public webhook paths routed to those upstreams. A service not
    in the map answers 503 UPSTREAM_UNAVAILABLE. Tokens are checked with the dev secret.

    Options (keywords): `table` (a RouteTable), `cors_origins`, `jwt` (JwtSettings). Several
    gateways may be started in one test; all stop when the test ends. Envoy starts in about
    0.2 s; `url.server` is the EmbeddedGateway (its `log_file`, `config_file`).
    """
    started: list[EmbeddedGateway] = []

    async def start(
        upstreams: Mapping[str, str],
        *,
        table: RouteTable | None = None,
        cors_origins: Sequence[str] = (),
        jwt: JwtSettings | None = None,
    ) -> GatewayStarted:
        gateway = EmbeddedGateway(
            table or load_route_table(find_route_table()),
            upstreams=upstreams,
            jwt=jwt or JwtSettings(dev_secret=DEV_JWT_SECRET),
            cors_origins=cors_origins,
            work_dir=tmp_path / f"gateway-{len(started)}",
        )
        started.append(gateway)
        gateway.start()  # blocks ~0.2 s, in the main thread: Envoy dies with the test run
        url = GatewayStarted(gateway.url)
        url.server = gateway
        return url

    yield start
    for gateway in reversed(started):
        gateway.stop()
