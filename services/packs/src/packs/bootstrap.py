"""Wires the packs use cases to the runtime's bus, responders and due jobs."""

from packs.config import Settings
from packs.entrypoints import jobs, responders, snapshots, subscribers
from packs.service_layer.dependencies import Dependencies
from shared.runtime import Runtime


def bootstrap(runtime: Runtime, *, settings: Settings) -> Dependencies:
    """Register everything packs serves; nothing connects until the runtime starts."""
    deps = Dependencies(clock=runtime.clock, policy=settings.policy())
    subscribers.register(runtime.bus, deps=deps)
    responders.register(runtime, deps=deps)
    snapshots.register(runtime.bus)  # snapshot.mentor_capacity for search rebuilds (0006)
    jobs.register(runtime, deps=deps, batch_size=settings.job_batch_size)
    return deps
