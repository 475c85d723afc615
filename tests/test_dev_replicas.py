"""`mentorship dev --replicas N --nats-cluster 3`: each replica on its own port behind the
gateway, every service told the cluster's servers and the stream's replicas."""

import io
from pathlib import Path

import pytest
from rich.console import Console

from mentorship.dev import (
    DevError,
    DevOptions,
    Infra,
    _preflight,
    _service_env,
    _upstreams,
    replica_label,
    replica_port,
    stream_replicas,
)
from mentorship.services import SERVICES, get_service
from mentorship.supervisor import ServiceProcess


def test_replicas_of_a_service_listen_ten_ports_apart_and_are_named_by_number():
    packs = get_service("packs")
    assert [replica_port(packs, k) for k in range(3)] == [8102, 8112, 8122]
    assert [replica_label(packs, k, 2) for k in range(2)] == ["packs-1", "packs-2"]
    assert replica_label(packs, 0, 1) == "packs"  # one replica: the name as before
    ports = {replica_port(s, k) for s in SERVICES for k in range(9)}
    assert len(ports) == 9 * len(SERVICES) and 8100 not in ports  # none shared, nor the gateway's


def test_the_gateway_gets_every_replica_of_each_service(tmp_path):
    console = Console(file=io.StringIO())
    procs = [
        ServiceProcess(
            service,
            port=replica_port(service, k),
            env={},
            cwd=tmp_path,
            log_file=tmp_path / "x.log",
            console=console,
            label=replica_label(service, k, 2),
        )
        for service in SERVICES[:2]
        for k in range(2)
    ]
    assert _upstreams(procs) == {
        "payments": ["http://127.0.0.1:8101", "http://127.0.0.1:8111"],
        "packs": ["http://127.0.0.1:8102", "http://127.0.0.1:8112"],
    }


def test_every_service_gets_the_cluster_servers_and_the_stream_replicas():
    infra = Infra(
        nats_url="nats://127.0.0.1:1,nats://127.0.0.1:2,nats://127.0.0.1:3",
        database_urls={"packs": "postgresql+asyncpg://p@127.0.0.1/packs"},
        stream_replicas=stream_replicas(3),
    )
    env = _service_env(get_service("packs"), infra)
    assert env["PACKS_NATS_URL"] == infra.nats_url
    assert env["PACKS_STREAM_REPLICAS"] == "3"
    assert (stream_replicas(1), stream_replicas(5)) == (1, 3)


@pytest.mark.parametrize(
    ("replicas", "nodes", "refusal"),
    [(0, 1, "--replicas must be 1 to 9"), (10, 1, "--replicas"), (1, 0, "--nats-cluster")],
)
def test_counts_out_of_range_are_refused_before_anything_starts(replicas, nodes, refusal):
    options = DevOptions(
        root=Path("."), services=list(SERVICES), replicas=replicas, nats_cluster=nodes
    )
    with pytest.raises(DevError, match=refusal):
        _preflight(options)


def test_a_cluster_is_not_started_over_a_given_nats_url(monkeypatch):
    monkeypatch.setenv("NATS_URL", "nats://127.0.0.1:4222")
    options = DevOptions(root=Path("."), services=list(SERVICES), nats_cluster=3)
    with pytest.raises(DevError, match="NATS_URL is set"):
        _preflight(options)


def test_publish_takes_every_server_of_a_cluster_url_and_only_loopback_ones():
    from mentorship.publish import PublishError, require_loopback

    url = "nats://127.0.0.1:1,nats://localhost:2"
    assert require_loopback(url) == ["nats://127.0.0.1:1", "nats://localhost:2"]
    with pytest.raises(PublishError, match="not on this machine"):
        require_loopback("nats://127.0.0.1:1,nats://nats.example.com:4222")
