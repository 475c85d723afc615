"""The gateway's upstream connections: never reused once the service may be closing them."""

from pathlib import Path

import uvicorn

from shared.gateway.envoy import JwtSettings, render_envoy_config
from shared.gateway.routes import default_route_table_path, load_route_table

ROOT = Path(__file__).resolve().parents[2]


def test_every_upstream_connection_idles_out_before_uvicorn_closes_it() -> None:
    table = load_route_table(default_route_table_path(ROOT))
    config = render_envoy_config(
        table,
        upstreams={
            name: f"http://127.0.0.1:{8101 + i}" for i, name in enumerate(table.service_names)
        },
        listen_port=8100,
        admin_port=9901,
        jwt=JwtSettings(dev_secret="s" * 32),
    )
    keep_alive = uvicorn.Config(app=None).timeout_keep_alive  # the services' server default
    clusters = [
        c for c in config["static_resources"]["clusters"] if c["load_assignment"]["endpoints"]
    ]
    assert len(clusters) == len(table.service_names)
    for cluster in clusters:
        options = cluster["typed_extension_protocol_options"][
            "envoy.extensions.upstreams.http.v3.HttpProtocolOptions"
        ]
        idle = float(options["common_http_protocol_options"]["idle_timeout"].removesuffix("s"))
        assert idle < keep_alive, cluster["name"]
