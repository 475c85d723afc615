"""Record a join or leave Agora reported, once per notice, and announce `video.attendance`."""

from dataclasses import dataclass
from datetime import datetime

from shared.messaging.events import VideoAttendance
from video.adapters.repositories import VideoUnitOfWork
from video.domain.attendance import Attendance, AttendanceAction
from video.service_layer.ports import Dependencies


@dataclass(frozen=True)
class RecordAttendance:
    notice_id: str
    action: AttendanceAction
    channel: str
    uid: int
    at: datetime


async def record_attendance(
    cmd: RecordAttendance, *, uow: VideoUnitOfWork, deps: Dependencies
) -> Attendance | None:
    """None for a resent notice, or a uid video never gave a token for in that channel."""
    grant = await uow.grants.latest(channel=cmd.channel, uid=cmd.uid)
    if grant is None:
        return None
    attendance = Attendance(
        notice_id=cmd.notice_id,
        session_id=grant.session_id,
        user_id=grant.user_id,
        participant=grant.participant,
        uid=cmd.uid,
        action=cmd.action,
        at=cmd.at,
    )
    if not await uow.attendance.add(attendance, received_at=deps.clock.now()):
        return None
    uow.record(
        VideoAttendance(
            session_id=attendance.session_id,
            user_id=attendance.user_id,
            participant=attendance.participant.value,
            action=attendance.action.value,
            at=attendance.at,
        )
    )
    return attendance
