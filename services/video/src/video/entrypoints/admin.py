"""Operator endpoint: rebuild the session projection from booking's snapshot."""

from fastapi import APIRouter, Request

from shared.auth import AdminUser
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
async def rebuild(request: Request, _: AdminUser) -> RebuildRead:
    """Refill the projection into its shadow and swap it in; 409 while another runs."""
    runtime = request.app.state.runtime
    count = await rebuild_sessions(requester=runtime.bus.requester, deps=request.app.state.video)
    return RebuildRead(projection="sessions", sessions=count)
