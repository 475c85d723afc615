"""Gateway API resources from a route table: names Kubernetes accepts, one per route."""

from typing import Any

import pytest

from shared.gateway.kubernetes import ClusterGateway, http_routes
from shared.gateway.routes import parse_route_table


def a_table(*public_paths: str) -> Any:
    return parse_route_table(
        {
            "gateway": {
                "port": 8100,
                "max_body_bytes": 1024,
                "route_timeout_seconds": 30,
                "requests_per_second_per_client": 5,
                "burst_per_client": 10,
            },
            "services": [{"name": "payments", "prefix": "/api/payments", "dev_port": 8101}],
            "public_paths": [
                {"path": path, "kind": "webhook", "service": "payments", "upstream_path": "/v1/x"}
                for path in public_paths
            ],
        }
    )


def test_a_public_path_gives_its_route_a_kubernetes_name() -> None:
    routes = http_routes(
        a_table("/webhooks/stripe", "/hooks/pay_pal.v2"),
        ClusterGateway(),
        service_ports={"payments": 8101},
    )
    names = [route["metadata"]["name"] for route in routes]
    assert names == ["payments", "payments-webhooks-stripe", "payments-hooks-pay-pal-v2"]


def test_two_public_paths_that_would_share_a_route_name_are_refused() -> None:
    with pytest.raises(ValueError, match="not unique"):
        http_routes(
            a_table("/webhooks/a-b", "/webhooks/a/b"),
            ClusterGateway(),
            service_ports={"payments": 8101},
        )
