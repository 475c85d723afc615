"""The gateway's deploy files, rendered from the route table (decision 0019).

    uv run python -m mentorship.deploy_files           # rewrite them
    uv run python -m mentorship.deploy_files --check   # exit 1 if one is stale

- `deploy/compose/envoy.yaml`: the compose gateway (Envoy, the dev renderer with compose's
  upstream hostnames, each resolving to every replica, and the dev token secret the compose
  services verify).
- `deploy/k8s/gateway.yaml`: the Gateway and its HTTPRoutes (portable Gateway API).
- `deploy/k8s/envoy-gateway/policies.yaml`: Envoy Gateway's policies (JWT, CORS, request id,
  identity headers, body limits, rate limit).
tests/test_deploy_gateway.py checks that the committed files equal what this renders.
"""

import sys
from dataclasses import dataclass
from typing import Any

from mentorship.dev_gateway import DEFAULT_CORS_ORIGINS
from mentorship.services import repo_root
from shared.auth_dev import DEV_JWT_SECRET
from shared.gateway.envoy import JwtSettings, render_envoy_config
from shared.gateway.envoy_gateway import EdgePolicy, envoy_gateway_policies
from shared.gateway.kubernetes import ClusterGateway, gateway, http_routes
from shared.gateway.routes import RouteTable, default_route_table_path, load_route_table

COMPOSE_PORT = 8000  # every service's container port (deploy/Dockerfile)
COMPOSE_ADMIN_PORT = 9901  # Envoy's admin, inside the container only (not published)
# The cluster's token issuer and front-end: the same JWKS URL as the services' ConfigMaps.
CLUSTER_EDGE = EdgePolicy(
    jwks_url="https://clerk.example.com/.well-known/jwks.json",
    cors_origins=("https://app.example.com",),
)
CLUSTER = ClusterGateway()


@dataclass(frozen=True)
class DeployFile:
    """One rendered file: where it goes, what heads it, the documents it holds."""

    path: str  # relative to the repository root
    header: str
    documents: tuple[dict[str, Any], ...]


def compose_envoy_config(table: RouteTable) -> dict[str, Any]:
    """Envoy's bootstrap for docker-compose.yml: every service at `http://<name>:8000`.

    One name per service, not one URL per replica: compose's DNS answers the service's name
    with the address of each of its containers, and the STRICT_DNS cluster this renders makes
    every address a host (re-resolved every 5 s), so the gateway balances over however many
    replicas run (`deploy.replicas`, `--scale`). Decision 0034.
    """
    return render_envoy_config(
        table,
        upstreams={name: f"http://{name}:{COMPOSE_PORT}" for name in table.service_names},
        listen_port=table.port,
        listen_address="0.0.0.0",  # noqa: S104 - inside the container; compose publishes it on loopback
        admin_port=COMPOSE_ADMIN_PORT,
        jwt=JwtSettings(dev_secret=DEV_JWT_SECRET),
        cors_origins=DEFAULT_CORS_ORIGINS,  # a front-end on this machine, as with make dev
    )


def cluster_service_ports(table: RouteTable) -> dict[str, int]:
    """The port of each service's Kubernetes Service: its dev port (deploy/k8s/<name>.yaml)."""
    return {route.name: route.dev_port for route in table.services}


GENERATED = (
    "# Generated from deploy/gateway/routes.toml by `python -m mentorship.deploy_files`; do not\n"
    "# edit (decision 0019). "
)


def deploy_files(table: RouteTable) -> tuple[DeployFile, ...]:
    """Every rendered file, with the parameters this repository deploys with."""
    return (
        DeployFile(
            "deploy/compose/envoy.yaml",
            f"{GENERATED}The gateway service of docker-compose.yml.\n",
            (compose_envoy_config(table),),
        ),
        DeployFile(
            "deploy/k8s/gateway.yaml",
            f"{GENERATED}The Gateway (its GatewayClass is set in kustomization.yaml), one\n"
            "# HTTPRoute per service (/api/<name> rewritten to /) and one per public path.\n",
            (
                gateway(CLUSTER),
                *http_routes(table, CLUSTER, service_ports=cluster_service_ports(table)),
            ),
        ),
        DeployFile(
            "deploy/k8s/envoy-gateway/policies.yaml",
            f"{GENERATED}Envoy Gateway's policies for what the Gateway API cannot\n"
            "# say: implementation-specific (Envoy Gateway 1.5 or later).\n",
            tuple(envoy_gateway_policies(table, CLUSTER, CLUSTER_EDGE)),
        ),
    )


def dump(file: DeployFile) -> str:
    import yaml  # a dev dependency: rendering is a developer's step, not the services'

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True  # a reader sees every value where it applies, no &id001 / *id001

    body = yaml.dump_all(file.documents, Dumper=Dumper, sort_keys=False, width=100)
    return file.header + body


def main(argv: list[str]) -> int:
    root = repo_root()
    table = load_route_table(default_route_table_path(root))
    stale = []
    for file in deploy_files(table):
        path = root / file.path
        text = dump(file)
        if path.exists() and path.read_text() == text:
            continue
        if "--check" in argv:
            stale.append(file.path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        print(f"wrote {file.path}")
    for path_name in stale:
        print(f"{path_name} is stale: run python -m mentorship.deploy_files", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
