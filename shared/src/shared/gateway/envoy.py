"""Envoy's bootstrap config, rendered from the route table (decision 0015).

`render_envoy_config(table, upstreams=..., listen_port=..., jwt=..., ...)` returns a dict that
Envoy reads as JSON (or YAML, dumped by the caller). A service absent from `upstreams` keeps
its routes, on a cluster with no endpoint: the gateway answers 503 UPSTREAM_UNAVAILABLE. A
service given several base URLs (replicas) is balanced round robin over them; a request whose
connection to one fails is sent to another, and a replica that keeps failing is left out for a
while (decision 0034).
"""

import ipaddress
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from shared.gateway.filters import (
    JwtSettings,
    body_limit,
    buffer_filter,
    cors_filter,
    cors_policy,
    jwks_cluster,
    jwt_filter,
    rate_limit_filter,
    typed,
)
from shared.gateway.refusals import NOT_FOUND_HEADER, local_reply_config, problem_pages
from shared.gateway.routes import RouteTable

__all__ = ["IDENTITY_HEADERS", "JwtSettings", "Upstream", "cluster_name", "render_envoy_config"]

# A service's base URL, or the base URLs of its replicas.
Upstream = str | Sequence[str]

# Headers a client could send to pass itself off as someone; no service reads them, and the
# gateway removes them so that none ever will by accident (decision 0015).
IDENTITY_HEADERS = (
    "x-user-id",
    "x-user-role",
    "x-user-email",
    "x-user",
    "x-auth-user",
    "x-auth-request-user",
    "x-auth-request-email",
    "x-authenticated-user",
    "x-authenticated-userid",
    "x-forwarded-user",
    "x-forwarded-email",
    "x-forwarded-groups",
    "x-remote-user",
    "remote-user",
    "x-jwt-payload",
    "x-jwt-claims",
    "x-jwt-sub",
    "x-clerk-user-id",
    "x-consumer-id",
    "x-consumer-username",
    "x-credential-identifier",
    "x-internal-caller",
)
FORWARDED_PREFIX = "X-Forwarded-Prefix"
REQUEST_ID = "X-Request-ID"
CONNECT_TIMEOUT = "1s"
# Below uvicorn's keep-alive (5 s): Envoy drops an idle upstream connection before the
# service does, so it never sends a request on one the service is closing (a 503 "UC"
# without Retry-After, seen under load in bench/load_mix.py).
UPSTREAM_IDLE_TIMEOUT = "4s"
NOT_FOUND_CLUSTER = "not_found"
REPLICA_RETRIES = 2  # another replica, then a third (or the first again, after a while)
MAX_CONNECTIONS = 10_000  # client connections open at once; past it Envoy refuses new ones
ACCESS_LOG_FORMAT = {
    "time": "%START_TIME%",
    "request_id": "%REQ(X-REQUEST-ID)%",
    "method": "%REQ(:METHOD)%",
    "path": "%PATH(WQ:ORIG)%",
    "upstream_path": "%PATH(WQ)%",
    "status": "%RESPONSE_CODE%",
    "flags": "%RESPONSE_FLAGS%",
    "duration_ms": "%DURATION%",
    "upstream": "%UPSTREAM_CLUSTER%",
    "client": "%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%",
}


def cluster_name(service: str) -> str:
    return f"svc_{service}"


def render_envoy_config(
    table: RouteTable,
    *,
    upstreams: Mapping[str, Upstream],
    listen_port: int,
    jwt: JwtSettings,
    cors_origins: Sequence[str] = (),
    admin_port: int,
    listen_address: str = "127.0.0.1",
    admin_address: str = "127.0.0.1",
) -> dict[str, Any]:
    """The bootstrap: one listener on `listen_port`, one cluster per service of the table.

    `upstreams` maps a service name to its base URL (`http://127.0.0.1:8102`, `http://packs:8000`)
    or to the base URLs of its replicas.
    """
    unknown = sorted(set(upstreams) - set(table.service_names))
    if unknown:
        raise ValueError(f"upstreams name services the route table lacks: {', '.join(unknown)}")
    endpoints = {name: base_urls(upstream) for name, upstream in upstreams.items()}
    clusters = [_cluster(name, endpoints.get(name, ())) for name in table.service_names]
    clusters.append(_empty_cluster(NOT_FOUND_CLUSTER))
    if jwt.jwks_url:
        clusters.append(jwks_cluster(jwt.jwks_url))
    replicated = frozenset(name for name, urls in endpoints.items() if may_be_replicas(name, urls))
    manager = _connection_manager(table, jwt=jwt, cors_origins=cors_origins, replicated=replicated)
    return {
        "admin": {"address": _address(admin_address, admin_port)},
        "overload_manager": {
            "resource_monitors": [
                {
                    "name": "envoy.resource_monitors.global_downstream_max_connections",
                    "typed_config": {
                        "@type": typed(
                            "extensions.resource_monitors.downstream_connections.v3."
                            "DownstreamConnectionsConfig"
                        ),
                        "max_active_downstream_connections": MAX_CONNECTIONS,
                    },
                }
            ]
        },
        "static_resources": {
            "listeners": [
                {
                    "name": "gateway",
                    "address": _address(listen_address, listen_port),
                    "filter_chains": [{"filters": [manager]}],
                }
            ],
            "clusters": clusters,
        },
    }


def _address(host: str, port: int) -> dict[str, Any]:
    return {"socket_address": {"address": host, "port_value": port}}


def base_urls(upstream: Upstream) -> tuple[str, ...]:
    return (upstream,) if isinstance(upstream, str) else tuple(upstream)


def _connection_manager(
    table: RouteTable,
    *,
    jwt: JwtSettings,
    cors_origins: Sequence[str],
    replicated: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    filters = [cors_filter()] if cors_origins else []
    filters += [
        jwt_filter(jwt, table.public_paths),
        rate_limit_filter(table.rate_limit),
        buffer_filter(table.max_body_bytes),
        {
            "name": "envoy.filters.http.router",
            "typed_config": {
                "@type": typed("extensions.filters.http.router.v3.Router"),
                "suppress_envoy_headers": True,
            },
        },
    ]
    return {
        "name": "envoy.filters.network.http_connection_manager",
        "typed_config": {
            "@type": typed(
                "extensions.filters.network.http_connection_manager.v3.HttpConnectionManager"
            ),
            "stat_prefix": "gateway",
            "codec_type": "AUTO",
            # The gateway is the edge: the peer address is the client; a client's own
            # X-Request-ID, identity headers and x-envoy-* headers are not trusted.
            "use_remote_address": True,
            "early_header_mutation_extensions": [_strip_client_headers()],
            "generate_request_id": True,
            "preserve_external_request_id": False,
            "always_set_request_id_in_response": True,
            "normalize_path": True,
            "merge_slashes": True,
            "path_with_escaped_slashes_action": "REJECT_REQUEST",
            # `x_user_id` must not slip past the removal of `x-user-id`.
            "common_http_protocol_options": {"headers_with_underscores_action": "DROP_HEADER"},
            "access_log": [
                {
                    "name": "envoy.access_loggers.stdout",
                    "typed_config": {
                        "@type": typed("extensions.access_loggers.stream.v3.StdoutAccessLog"),
                        "log_format": {"json_format": ACCESS_LOG_FORMAT},
                    },
                }
            ],
            "route_config": _route_config(table, cors_origins=cors_origins, replicated=replicated),
            "http_filters": filters,
            "local_reply_config": local_reply_config(),
        },
    }


def _strip_client_headers() -> dict[str, Any]:
    """Removed before anything reads them: Envoy then makes a new request id for every
    request, and only the gateway sets X-Forwarded-Prefix."""
    removed = [*IDENTITY_HEADERS, REQUEST_ID.lower(), FORWARDED_PREFIX.lower(), NOT_FOUND_HEADER]
    return {
        "name": "envoy.http.early_header_mutation.header_mutation",
        "typed_config": {
            "@type": typed(
                "extensions.http.early_header_mutation.header_mutation.v3.HeaderMutation"
            ),
            "mutations": [{"remove": name} for name in removed],
        },
    }


def _route(
    service: str, *, prefix_rewrite: str, timeout: str, replicated: frozenset[str]
) -> dict[str, Any]:
    route: dict[str, Any] = {
        "cluster": cluster_name(service),
        "prefix_rewrite": prefix_rewrite,
        "timeout": timeout,
    }
    if service in replicated:
        # Only failures before the request reached a replica: it is safe to send it to
        # another one (a POST included); what a replica answered is never repeated.
        route["retry_policy"] = {
            "retry_on": "connect-failure,refused-stream,reset-before-request",
            "num_retries": REPLICA_RETRIES,
            "retry_host_predicate": [
                {
                    "name": "envoy.retry_host_predicates.previous_hosts",
                    "typed_config": {
                        "@type": typed(
                            "extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate"
                        )
                    },
                }
            ],
            "host_selection_retry_max_attempts": 3,
        }
    return route


def _route_config(
    table: RouteTable, *, cors_origins: Sequence[str], replicated: frozenset[str]
) -> dict[str, Any]:
    timeout = f"{table.route_timeout_seconds}s"
    routes: list[dict[str, Any]] = [
        {
            "name": f"public{public.path.replace('/', '_')}",
            "match": {"path": public.path},
            "route": _route(
                public.service,
                prefix_rewrite=public.upstream_path,
                timeout=timeout,
                replicated=replicated,
            ),
            "typed_per_filter_config": body_limit(public.max_body_bytes),
        }
        for public in table.public_paths
    ]
    routes += [
        {
            "name": f"api_{service.name}",
            "match": {"prefix": service.prefix + "/"},
            "route": _route(
                service.name, prefix_rewrite="/", timeout=timeout, replicated=replicated
            ),
            # The service builds its docs links and OpenAPI `servers` from it (shared.http).
            "request_headers_to_add": [
                {
                    "header": {"key": FORWARDED_PREFIX, "value": service.prefix},
                    "append_action": "OVERWRITE_IF_EXISTS_OR_ADD",
                }
            ],
            "typed_per_filter_config": body_limit(service.max_body_bytes),
        }
        for service in table.services
    ]
    routes += problem_pages()
    # Last: everything else, to a cluster with no endpoint, marked so that the refusal is a
    # 404 ROUTE_NOT_FOUND. A real route (neither "no route" nor a direct response): only then
    # does Envoy apply the CORS policy, and a browser can read the problem.
    routes.append(
        {
            "name": "not_found",
            "match": {"prefix": "/"},
            "route": {"cluster": NOT_FOUND_CLUSTER},
            "request_headers_to_add": [
                {
                    "header": {"key": NOT_FOUND_HEADER, "value": "1"},
                    "append_action": "OVERWRITE_IF_EXISTS_OR_ADD",
                }
            ],
        }
    )
    virtual_host: dict[str, Any] = {
        "name": "suite",
        "domains": ["*"],
        "routes": routes,
    }
    if cors_origins:
        virtual_host["typed_per_filter_config"] = {
            "envoy.filters.http.cors": cors_policy(cors_origins)
        }
    return {"name": "routes", "virtual_hosts": [virtual_host]}


def _empty_cluster(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "type": "STATIC",
        "connect_timeout": CONNECT_TIMEOUT,
        "load_assignment": {"cluster_name": name, "endpoints": []},
    }


def _cluster(service: str, urls: tuple[str, ...]) -> dict[str, Any]:
    cluster = _empty_cluster(cluster_name(service))
    if not urls:
        return cluster
    addresses = [_host_port(service, url) for url in urls]
    if any(not _is_ip(host) for host, _ in addresses):
        cluster["type"] = "STRICT_DNS"
        cluster["dns_lookup_family"] = "V4_PREFERRED"
    cluster["typed_extension_protocol_options"] = {
        "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
            "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
            "common_http_protocol_options": {"idle_timeout": UPSTREAM_IDLE_TIMEOUT},
            "explicit_http_config": {"http_protocol_options": {}},
        }
    }
    cluster["load_assignment"]["endpoints"] = [
        {
            "lb_endpoints": [
                {"endpoint": {"address": {"socket_address": {"address": h, "port_value": p}}}}
                for h, p in addresses
            ]
        }
    ]
    if may_be_replicas(service, urls):
        # A replica whose connections keep failing (down, restarting) sits out a while. Only
        # those: a 503 a replica answers is its own load shedding (OVERLOADED, DATABASE_BUSY),
        # and ejecting it for that would pile its share onto the others (seen in
        # bench/scale_out.py), so Envoy's default ejection on five 5xx in a row is off.
        cluster["outlier_detection"] = {
            "split_external_local_origin_errors": True,
            "consecutive_local_origin_failure": 2,
            "enforcing_consecutive_local_origin_failure": 100,
            "enforcing_local_origin_success_rate": 0,
            "enforcing_consecutive_5xx": 0,
            "enforcing_consecutive_gateway_failure": 0,
            "enforcing_success_rate": 0,
            "interval": "1s",
            "base_ejection_time": "5s",
            "max_ejection_percent": 50,
        }
    return cluster


def _host_port(service: str, base_url: str) -> tuple[str, int]:
    parts = urlsplit(base_url)
    if parts.scheme != "http" or not parts.hostname or parts.path not in ("", "/"):
        raise ValueError(f"upstream of {service} must be http://host:port, not {base_url!r}")
    return parts.hostname, parts.port or 80


def may_be_replicas(service: str, urls: tuple[str, ...]) -> bool:
    """Several base URLs, or a DNS name (compose's service name resolves to every replica of
    `--scale`): balance, retry a failed connection elsewhere, leave a failing host out."""
    return len(urls) > 1 or any(not _is_ip(_host_port(service, url)[0]) for url in urls)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
