"""HTTP: a mentor connects their Google Calendar (OAuth consent and callback) or disconnects."""

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from booking.entrypoints.deps import Deps
from booking.service_layer.connect_calendar import consent_url, disconnect, finish_connect
from shared.http.deps import Mentor, Uow
from shared.types import line

router = APIRouter(prefix="/v1", tags=["calendar"])


class ConsentRead(BaseModel):
    url: str


class ConnectedRead(BaseModel):
    mentor_id: str
    connected: bool


@router.get(
    "/mentors/me/google/connect",
    response_model=ConsentRead,
    responses={409: {"description": "CALENDAR_NOT_CONFIGURED: no Google credentials here"}},
)
async def connect(user: Mentor, deps: Deps) -> ConsentRead:
    """Where to send the mentor: Google's consent page (offline access, free/busy + events)."""
    return ConsentRead(url=consent_url(user.id, deps=deps))


@router.get(
    "/mentors/google/callback",
    response_model=ConnectedRead,
    responses={
        409: {"description": "CALENDAR_NOT_CONFIGURED: no Google credentials here"},
        422: {"description": "CALENDAR_CONNECT_FAILED: forged/stale state, code refused"},
    },
)
async def callback(
    uow: Uow,
    deps: Deps,
    code: Annotated[str, line(2000, min_length=1), Query()],
    state: Annotated[str, line(2000, min_length=1), Query()],
) -> ConnectedRead:
    """Google redirects here; the signed state says which mentor is connecting."""
    mentor_id = await finish_connect(state=state, code=code, uow=uow, deps=deps)
    await uow.commit()
    return ConnectedRead(mentor_id=mentor_id, connected=True)


@router.delete(
    "/mentors/me/google",
    response_model=ConnectedRead,
    responses={409: {"description": "CALENDAR_NOT_CONFIGURED: no Google credentials here"}},
)
async def disconnect_calendar(user: Mentor, uow: Uow, deps: Deps) -> ConnectedRead:
    await disconnect(user.id, uow=uow, deps=deps)
    await uow.commit()
    return ConnectedRead(mentor_id=user.id, connected=False)
