"""Envoy Gateway policies for what the Gateway API cannot say: bearer tokens, CORS, the request
id, body limits and the per-client rate limit (decision 0019).

Implementation-specific (`gateway.envoyproxy.io/v1alpha1`, Envoy Gateway 1.5 or later); another
implementation needs its own equivalents. They restate the dev gateway's rules
(`shared.gateway.filters`) in Envoy Gateway's vocabulary.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from shared.gateway.envoy import FORWARDED_PREFIX, IDENTITY_HEADERS
from shared.gateway.filters import (
    CORS_ALLOW_HEADERS,
    CORS_EXPOSE_HEADERS,
    CORS_METHODS,
    JWT_PROVIDER,
)
from shared.gateway.kubernetes import (
    GATEWAY_GROUP,
    PART_OF,
    ClusterGateway,
    public_path_route_name,
    service_route_name,
)
from shared.gateway.routes import RouteTable

ENVOY_GATEWAY_API = "gateway.envoyproxy.io/v1alpha1"
CORS_MAX_AGE = "600s"


@dataclass(frozen=True)
class EdgePolicy:
    """What the cluster's gateway checks: the issuer's JWKS (https) and the browser origins."""

    jwks_url: str
    cors_origins: tuple[str, ...]
    issuer: str = ""
    audience: str = ""


def _policy(kind: str, name: str, spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "apiVersion": ENVOY_GATEWAY_API,
        "kind": kind,
        "metadata": {"name": name, "labels": dict(PART_OF)},
        "spec": spec,
    }


def _route_ref(name: str) -> dict[str, Any]:
    return {"group": GATEWAY_GROUP, "kind": "HTTPRoute", "name": name}


def _gateway_ref(cluster: ClusterGateway) -> dict[str, Any]:
    return {"group": GATEWAY_GROUP, "kind": "Gateway", "name": cluster.name}


def security_policy(table: RouteTable, cluster: ClusterGateway, edge: EdgePolicy) -> dict[str, Any]:
    """JWT (a token, when sent, must verify; anonymous calls pass) and CORS on the `/api` routes.

    The public paths (webhooks, OAuth callbacks) are not targeted: providers send no bearer
    token and no browser calls them cross-origin; the services check their signatures.
    """
    provider: dict[str, Any] = {"name": JWT_PROVIDER, "remoteJWKS": {"uri": edge.jwks_url}}
    if edge.issuer:
        provider["issuer"] = edge.issuer
    if edge.audience:
        provider["audiences"] = [edge.audience]
    return _policy(
        "SecurityPolicy",
        f"{cluster.name}-api",
        {
            "targetRefs": [_route_ref(service_route_name(r)) for r in table.services],
            "jwt": {"optional": True, "providers": [provider]},
            "cors": {
                "allowOrigins": list(edge.cors_origins),
                "allowMethods": list(CORS_METHODS),
                "allowHeaders": list(CORS_ALLOW_HEADERS),
                "exposeHeaders": list(CORS_EXPOSE_HEADERS),
                "maxAge": CORS_MAX_AGE,
            },
        },
    )


def client_traffic_policy(cluster: ClusterGateway) -> dict[str, Any]:
    """At the edge, before routing: client-sent identity headers and `X-Forwarded-Prefix` are
    removed, headers with underscores dropped (`x_user_id` does not slip past), and every
    request gets a fresh `X-Request-ID` (a client's own is replaced), passed upstream."""
    return _policy(
        "ClientTrafficPolicy",
        cluster.name,
        {
            "targetRefs": [_gateway_ref(cluster)],
            "headers": {
                "earlyRequestHeaders": {"remove": [*IDENTITY_HEADERS, FORWARDED_PREFIX]},
                "withUnderscoresAction": "DropHeader",
                "requestID": "Generate",
            },
        },
    )


def rate_limit_policy(table: RouteTable, cluster: ClusterGateway) -> dict[str, Any]:
    """The per-client-address limit of the table. Envoy Gateway counts distinct clients only in
    its global rate limit, which needs its rate-limit service and Redis."""
    limit = {"requests": table.rate_limit.requests_per_second, "unit": "Second"}
    rules = [
        {"clientSelectors": [{"sourceCIDR": {"type": "Distinct", "value": cidr}}], "limit": limit}
        for cidr in ("0.0.0.0/0", "::/0")
    ]
    return _policy(
        "BackendTrafficPolicy",
        f"{cluster.name}-rate-limit",
        {
            "targetRefs": [_gateway_ref(cluster)],
            "rateLimit": {"type": "Global", "global": {"rules": rules}},
        },
    )


def body_limit_policies(table: RouteTable) -> list[dict[str, Any]]:
    """Each route's body limit (413 above it), merged into the Gateway's policy (not replacing)."""
    limits: Sequence[tuple[str, int]] = [
        (service_route_name(r), r.max_body_bytes) for r in table.services
    ] + [(public_path_route_name(p), p.max_body_bytes) for p in table.public_paths]
    return [
        _policy(
            "BackendTrafficPolicy",
            f"{name}-body-limit",
            {
                "targetRefs": [_route_ref(name)],
                "mergeType": "StrategicMerge",
                "requestBuffer": {"limit": max_bytes},
            },
        )
        for name, max_bytes in limits
    ]


def envoy_gateway_policies(
    table: RouteTable, cluster: ClusterGateway, edge: EdgePolicy
) -> list[dict[str, Any]]:
    """Every policy, in apply order."""
    return [
        security_policy(table, cluster, edge),
        client_traffic_policy(cluster),
        rate_limit_policy(table, cluster),
        *body_limit_policies(table),
    ]
