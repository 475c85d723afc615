"""Kubernetes Gateway API resources from the route table: one Gateway, one HTTPRoute per
service (`/api/<name>` rewritten to `/`) and one per public path (decision 0019).

Portable: only Gateway API `v1` fields (Core, plus Extended `timeouts`), no implementation's
own resources; those are in `shared.gateway.envoy_gateway`.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shared.gateway.envoy import FORWARDED_PREFIX
from shared.gateway.routes import PublicPath, RouteTable, ServiceRoute

GATEWAY_API = "gateway.networking.k8s.io/v1"
GATEWAY_GROUP = "gateway.networking.k8s.io"
PART_OF = {"app.kubernetes.io/part-of": "mentorship"}
OBJECT_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")  # RFC 1123 label


@dataclass(frozen=True)
class ClusterGateway:
    """Where the suite's Gateway runs and how its proxy pods are recognised.

    `proxy_label` is asked of the implementation through `spec.infrastructure.labels`; the
    services' NetworkPolicies admit their HTTP port from pods carrying it.
    """

    name: str = "mentorship"
    gateway_class: str = "eg"  # the GatewayClass Envoy Gateway's quickstart installs
    proxy_label: tuple[str, str] = ("mentorship/gateway-proxy", "true")
    tls_secret: str = "mentorship-gateway-tls"
    http_port: int = 80
    https_port: int = 443


def _metadata(name: str, *, labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    return {"name": name, "labels": {**(labels or {}), **PART_OF}}


def gateway(cluster: ClusterGateway) -> dict[str, Any]:
    """The Gateway: HTTPS (TLS from `tls_secret`) and HTTP listeners for this namespace's routes."""
    same_namespace = {"namespaces": {"from": "Same"}}
    key, value = cluster.proxy_label
    return {
        "apiVersion": GATEWAY_API,
        "kind": "Gateway",
        "metadata": _metadata(cluster.name, labels={"app.kubernetes.io/name": cluster.name}),
        "spec": {
            "gatewayClassName": cluster.gateway_class,
            "infrastructure": {"labels": {key: value}},
            "listeners": [
                {
                    "name": "https",
                    "protocol": "HTTPS",
                    "port": cluster.https_port,
                    "tls": {
                        "mode": "Terminate",
                        "certificateRefs": [{"kind": "Secret", "name": cluster.tls_secret}],
                    },
                    "allowedRoutes": same_namespace,
                },
                {
                    "name": "http",
                    "protocol": "HTTP",
                    "port": cluster.http_port,
                    "allowedRoutes": same_namespace,
                },
            ],
        },
    }


def _route(
    name: str,
    *,
    cluster: ClusterGateway,
    service: str,
    match: dict[str, Any],
    rewrite: dict[str, Any],
    port: int,
    timeout_seconds: int,
    headers: dict[str, Any],
) -> dict[str, Any]:
    filters = [
        {"type": "RequestHeaderModifier", "requestHeaderModifier": headers},
        {"type": "URLRewrite", "urlRewrite": {"path": rewrite}},
    ]
    return {
        "apiVersion": GATEWAY_API,
        "kind": "HTTPRoute",
        "metadata": _metadata(name, labels={"app.kubernetes.io/name": service}),
        "spec": {
            "parentRefs": [{"group": GATEWAY_GROUP, "kind": "Gateway", "name": cluster.name}],
            "rules": [
                {
                    "matches": [match],
                    "filters": filters,
                    "backendRefs": [{"name": service, "port": port}],
                    "timeouts": {"request": f"{timeout_seconds}s"},
                }
            ],
        },
    }


def service_route_name(route: ServiceRoute) -> str:
    """The HTTPRoute of a service's prefix: named after the service."""
    return route.name


def public_path_route_name(public: PublicPath) -> str:
    """The HTTPRoute of one public path: `/webhooks/stripe` -> `payments-webhooks-stripe`."""
    return f"{public.service}-{re.sub(r'[^a-z0-9]+', '-', public.path).strip('-')}"


def http_routes(
    table: RouteTable,
    cluster: ClusterGateway,
    *,
    service_ports: Mapping[str, int],
) -> list[dict[str, Any]]:
    """One HTTPRoute per service (prefix -> `/`) and per public path (exact -> its upstream path).

    `service_ports` maps a service to its Kubernetes Service's port. A service route sets
    `X-Forwarded-Prefix` (the service builds its docs links from it, like behind the dev
    gateway); a public path removes a client's copy.
    """
    routes = [
        _route(
            service_route_name(route),
            cluster=cluster,
            service=route.name,
            match={"path": {"type": "PathPrefix", "value": route.prefix}},
            rewrite={"type": "ReplacePrefixMatch", "replacePrefixMatch": "/"},
            port=service_ports[route.name],
            timeout_seconds=table.route_timeout_seconds,
            headers={"set": [{"name": FORWARDED_PREFIX, "value": route.prefix}]},
        )
        for route in table.services
    ]
    routes += [
        _route(
            public_path_route_name(public),
            cluster=cluster,
            service=public.service,
            match={"path": {"type": "Exact", "value": public.path}},
            rewrite={"type": "ReplaceFullPath", "replaceFullPath": public.upstream_path},
            port=service_ports[public.service],
            timeout_seconds=table.route_timeout_seconds,
            headers={"remove": [FORWARDED_PREFIX]},
        )
        for public in table.public_paths
    ]
    names = [route["metadata"]["name"] for route in routes]
    for name in names:
        if names.count(name) > 1 or not OBJECT_NAME.match(name):
            raise ValueError(f"HTTPRoute name {name!r} is not unique or not a Kubernetes name")
    return routes
