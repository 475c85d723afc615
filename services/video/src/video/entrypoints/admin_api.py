"""Operator endpoint: rebuild the session projection from booking's snapshot."""

from fastapi import APIRouter

from shared.http.deps import Admin, ServiceRuntime
from video.entrypoints.deps import Deps
from video.entrypoints.schemas import RebuildRead
from video.service_layer.rebuild_sessions import rebuild_sessions

router = APIRouter(prefix="/v1/admin", tags=["operations"])


@router.post(
    "/rebuilds/sessions",
    response_model=RebuildRead,
    responses={
        409: {"description": "REBUILD_IN_PROGRESS"},
        503: {"description": "UPSTREAM_UNAVAILABLE: booking did not answer; nothing changed"},
    },
)
async def rebuild(_: Admin, deps: Deps, runtime: ServiceRuntime) -> RebuildRead:
    """Refill the projection into its shadow and swap it in; 409 while another runs."""
    count = await rebuild_sessions(requester=runtime.bus.requester, deps=deps)
    return RebuildRead(projection="sessions", sessions=count)
