"""Servers the project starts itself from pip wheels: NATS (JetStream, one node or a cluster)
and PostgreSQL."""

from shared.embedded.databases import ensure_databases
from shared.embedded.nats import EmbeddedNats
from shared.embedded.nats_cluster import EmbeddedNatsCluster
from shared.embedded.ports import free_port
from shared.embedded.postgres import EmbeddedPostgres

__all__ = [
    "EmbeddedNats",
    "EmbeddedNatsCluster",
    "EmbeddedPostgres",
    "ensure_databases",
    "free_port",
]
