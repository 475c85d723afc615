"""Wires the video use cases to the runtime's bus; nothing is built at import time."""

from shared.messaging.snapshots import ShadowRebuild
from shared.runtime import Runtime
from video.adapters.tables import projection_rebuilds, sessions, sessions_rebuild
from video.adapters.token_records import BatchedTokenRecords
from video.config import Settings
from video.entrypoints import subscribers
from video.service_layer.ports import Dependencies


def bootstrap(runtime: Runtime, *, settings: Settings) -> Dependencies:
    """Register everything video consumes; nothing connects until the runtime starts."""
    rebuild = ShadowRebuild(
        projection="sessions",
        live=sessions,
        shadow=sessions_rebuild,
        markers=projection_rebuilds,
        connection_factory=runtime.connection_factory,
        clock=runtime.clock,
    )
    deps = Dependencies(
        clock=runtime.clock,
        policy=settings.join_policy(),
        agora=settings.agora(),
        rebuild=rebuild,
        tokens=BatchedTokenRecords(runtime.connection_factory),
        snapshot_page_size=settings.snapshot_page_size,
    )
    subscribers.register(runtime.bus, deps=deps)
    return deps
