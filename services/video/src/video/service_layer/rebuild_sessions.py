"""Rebuild the session projection from booking's snapshot, without a gap for readers."""

from shared.messaging.snapshots import Requests, rebuild_from_snapshot
from video.service_layer.ports import Dependencies
from video.service_layer.project_session import project_fact

SESSION_SNAPSHOT = "session"


async def rebuild_sessions(*, requester: Requests, deps: Dependencies) -> int:
    """The number of sessions video knows after the swap."""
    return await rebuild_from_snapshot(
        deps.rebuild,
        requester=requester,
        aggregate=SESSION_SNAPSHOT,
        apply=project_fact,
        page_size=deps.snapshot_page_size,
    )
