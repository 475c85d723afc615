"""docker-compose.yml and deploy/k8s describe every service, with its port and real settings."""

import importlib
from pathlib import Path
from typing import Any

import pytest
import yaml

from mentorship.services import SERVICES, Service

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "docker-compose.yml"
K8S = ROOT / "deploy" / "k8s"
by_name = pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)


def settings_env_vars(service: Service) -> set[str]:
    """Every environment variable the service's settings class reads."""
    settings = importlib.import_module(f"{service.name}.config").Settings
    return {f"{service.env_prefix}{field.upper()}" for field in settings.model_fields}


def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())["services"]


def manifests() -> list[dict[str, Any]]:
    docs = []
    for path in sorted(K8S.glob("*.yaml")):
        docs += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    return docs


def k8s_object(kind: str, name: str) -> dict[str, Any]:
    found = [d for d in manifests() if d["kind"] == kind and d["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind} {name}, found {len(found)}"
    return found[0]


def k8s_env_vars(pod_spec: dict[str, Any]) -> set[str]:
    """Variables set on every container: `env` entries and keys of envFrom sources."""
    names: set[str] = set()
    for container in pod_spec.get("initContainers", []) + pod_spec["containers"]:
        names |= {entry["name"] for entry in container.get("env", [])}
        for source in container.get("envFrom", []):
            if ref := source.get("configMapRef"):
                names |= set(k8s_object("ConfigMap", ref["name"]).get("data", {}))
            if ref := source.get("secretRef"):
                secret = k8s_object("Secret", ref["name"])
                names |= set(secret.get("stringData", {})) | set(secret.get("data", {}))
    return names


@by_name
def test_compose_builds_and_publishes_each_service_on_its_port(service: Service) -> None:
    entry = compose()[service.name]
    assert entry["build"]["dockerfile"] == "deploy/Dockerfile"
    assert entry["build"]["args"]["SERVICE"] == service.name
    assert f"{service.dev_port}:8000" in entry["ports"]
    migrate = compose()[f"{service.name}-migrate"]
    assert migrate["command"] == ["mentorship", "migrate", service.name]
    assert entry["depends_on"][f"{service.name}-migrate"] == {
        "condition": "service_completed_successfully"
    }


def test_compose_runs_the_infrastructure_and_creates_every_database() -> None:
    services = compose()
    assert {"nats", "postgres", "meilisearch", "mailpit"} <= set(services)
    assert "-js" in services["nats"]["command"]
    init_sql = (ROOT / "deploy/compose/postgres-init/01-create-databases.sql").read_text()
    for service in SERVICES:
        assert f"CREATE DATABASE {service.name};" in init_sql


def test_compose_sets_only_settings_fields_of_each_built_service() -> None:
    checked = 0
    for name, entry in compose().items():
        if entry.get("build", {}).get("dockerfile") != "deploy/Dockerfile":
            continue
        service = next(s for s in SERVICES if s.name == entry["build"]["args"]["SERVICE"])
        unknown = set(entry.get("environment", {})) - settings_env_vars(service)
        assert not unknown, f"compose service {name} sets unknown variables {sorted(unknown)}"
        checked += 1
    assert checked == 2 * len(SERVICES)


@by_name
def test_k8s_runs_each_service_behind_a_service_on_its_port(service: Service) -> None:
    k8s_service = k8s_object("Service", service.name)
    assert [p["port"] for p in k8s_service["spec"]["ports"]] == [service.dev_port]
    pod = k8s_object("Deployment", service.name)["spec"]["template"]["spec"]
    (app,) = pod["containers"]
    assert app["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert app["livenessProbe"]["httpGet"]["path"] == "/healthz"
    (migrate,) = pod["initContainers"]
    assert migrate["command"] == ["mentorship", "migrate", service.name]


@by_name
def test_k8s_sets_only_settings_fields_and_leaves_dev_mode_off(service: Service) -> None:
    pod = k8s_object("Deployment", service.name)["spec"]["template"]["spec"]
    names = k8s_env_vars(pod)
    unknown = names - settings_env_vars(service)
    assert not unknown, f"{service.name} sets unknown variables {sorted(unknown)}"
    for required in ("DATABASE_URL", "NATS_URL", "DEV_MODE", "JWT_JWKS_URL"):
        assert service.env_var(required) in names
    config = k8s_object("ConfigMap", f"{service.name}-config")["data"]
    assert config[service.env_var("DEV_MODE")] == "false"
