"""Wires booking's use cases to the runtime: packs requests, calendar, consumers, due jobs."""

from booking.adapters.packs_client import PacksClient
from booking.config import Settings
from booking.entrypoints import jobs, mentor_snapshot, snapshots, subscribers
from booking.service_layer.dependencies import Dependencies
from booking.service_layer.ports import Calendar, NoCalendar
from shared.runtime import Runtime


def bootstrap(
    runtime: Runtime, *, settings: Settings, calendar: Calendar | None = None
) -> Dependencies:
    """Register everything booking runs; nothing connects until the runtime starts."""
    deps = Dependencies(
        clock=runtime.clock,
        policy=settings.policy(),
        packs=PacksClient(runtime.bus.requester),
        calendar=calendar or NoCalendar(),
        uow_factory=runtime.uow,
    )
    subscribers.register(runtime.bus, deps=deps)
    snapshots.register(runtime.bus)  # snapshot.session for projection rebuilds (decision 0006)
    mentor_snapshot.register(runtime.bus, clock=runtime.clock)  # snapshot.mentor, for search
    jobs.register(runtime, deps=deps, batch_size=settings.job_batch_size)
    return deps
