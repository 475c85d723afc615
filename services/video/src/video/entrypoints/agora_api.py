"""Agora Notifications (NCS) channel events: verified by signature, then recorded once."""

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shared.errors import InvalidInput
from shared.http.deps import ServiceRuntime
from shared.types import line
from video.adapters.agora import ACTION_BY_EVENT_TYPE, ncs_signature_valid
from video.adapters.unit_of_work import SqlVideoUnitOfWork
from video.domain.errors import InvalidSignature
from video.entrypoints.deps import Deps
from video.service_layer.record_attendance import RecordAttendance, record_attendance

router = APIRouter(prefix="/v1/agora", tags=["video"])

MAX_BODY_BYTES = 64 * 1024
UINT32 = 2**32 - 1


class AgoraNotice(BaseModel):
    """The envelope of every Agora notification."""

    model_config = ConfigDict(extra="ignore")

    noticeId: Annotated[str, line(200, min_length=1)]  # noqa: N815 - Agora's field names
    eventType: int = Field(ge=0, le=UINT32)  # noqa: N815
    payload: dict[str, Any] = {}


class ChannelUserPayload(BaseModel):
    """Payload of a join or leave (event types 103–108)."""

    model_config = ConfigDict(extra="ignore")

    channelName: Annotated[str, line(64, min_length=1)]  # noqa: N815
    uid: int = Field(ge=0, le=UINT32)
    ts: int = Field(ge=0, le=UINT32, description="Unix seconds of the event")


class InvalidNotice(InvalidInput):
    code = "INVALID_NOTICE"


@router.post(
    "/events",
    responses={
        401: {"description": "INVALID_SIGNATURE: not signed with our NCS secret"},
        422: {"description": "INVALID_NOTICE: signed, but not a notice we can read"},
    },
)
async def agora_event(request: Request, deps: Deps, runtime: ServiceRuntime) -> dict[str, Any]:
    """Agora retries until it gets a 200 with a JSON body; resends are recorded once."""
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        raise InvalidNotice(f"a notice is at most {MAX_BODY_BYTES} bytes")
    if not ncs_signature_valid(
        deps.agora.ncs_secret,
        body,
        v2=request.headers.get("Agora-Signature-V2"),
        v1=request.headers.get("Agora-Signature"),
    ):
        raise InvalidSignature("the notice is not signed with our Agora Notifications secret")
    try:
        notice = AgoraNotice.model_validate_json(body)
        action = ACTION_BY_EVENT_TYPE.get(notice.eventType)
        if action is None:
            return {"ok": True, "recorded": False}
        payload = ChannelUserPayload.model_validate(notice.payload)
    except ValidationError as exc:
        raise InvalidNotice(str(exc.errors(include_url=False, include_input=False))) from exc
    command = RecordAttendance(
        notice_id=notice.noticeId,
        action=action,
        channel=payload.channelName,
        uid=payload.uid,
        at=datetime.fromtimestamp(payload.ts, UTC),
    )
    async with runtime.uow() as uow:
        recorded = await record_attendance(command, uow=SqlVideoUnitOfWork(uow), deps=deps)
        await uow.commit()
    return {"ok": True, "recorded": recorded is not None}
