"""The token and attendance use cases on the fakes: what is stored, announced, refused."""

import uuid
from datetime import timedelta

import pytest

from shared.auth import Role
from shared.messaging.events import VideoAttendance
from video.domain.access import Participant
from video.domain.attendance import AttendanceAction
from video.domain.errors import NotAParticipant, TooEarly
from video.domain.sessions import SessionStatus, SessionView
from video.service_layer.issue_token import IssueToken, issue_token
from video.service_layer.record_attendance import RecordAttendance, record_attendance

from .conftest import NOW


def scheduled(uow, *, starts_in: timedelta = timedelta(minutes=-5)) -> SessionView:
    starts_at = NOW + starts_in
    return uow.sessions.add(
        SessionView(
            session_id=uuid.uuid4(),
            mentor_id="m1",
            student_id="s1",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1),
            times_at=NOW - timedelta(days=1),
            status=SessionStatus.scheduled,
            status_at=NOW - timedelta(days=1),
        )
    )


async def token_for(uow, deps, view, *, user_id="s1", role=Role.student):
    command = IssueToken(session_id=view.session_id, user_id=user_id, role=role)
    return await issue_token(command, records=uow, deps=deps)


async def test_a_participant_in_the_window_gets_a_token_and_its_grant_is_kept(uow, deps):
    view = scheduled(uow)
    issued = await token_for(uow, deps, view)
    [grant] = uow.grants.rows
    assert (grant.session_id, grant.user_id, grant.participant) == (
        view.session_id,
        "s1",
        Participant.student,
    )
    assert (grant.uid, grant.channel) == (issued.uid, issued.channel)
    assert grant.issued_at == NOW
    assert grant.expires_at == issued.expires_at == view.ends_at + deps.policy.closes_after_end


async def test_a_refused_caller_leaves_no_grant(uow, deps):
    view = scheduled(uow, starts_in=timedelta(hours=2))
    with pytest.raises(TooEarly):
        await token_for(uow, deps, view)
    with pytest.raises(NotAParticipant):
        await token_for(uow, deps, scheduled(uow), user_id="s2")
    assert uow.grants.rows == []


async def joined(uow, deps, *, channel: str, uid: int, notice_id: str = "n1"):
    command = RecordAttendance(
        notice_id=notice_id, action=AttendanceAction.joined, channel=channel, uid=uid, at=NOW
    )
    async with uow:
        recorded = await record_attendance(command, uow=uow, deps=deps)
        await uow.commit()
    return recorded


async def test_a_join_of_a_granted_uid_is_recorded_and_announced_once(uow, deps):
    issued = await token_for(uow, deps, scheduled(uow))
    first = await joined(uow, deps, channel=issued.channel, uid=issued.uid)
    again = await joined(uow, deps, channel=issued.channel, uid=issued.uid)
    assert first is not None and first.participant is Participant.student
    assert again is None
    assert uow.events() == [
        VideoAttendance(
            session_id=first.session_id,
            user_id="s1",
            participant="student",
            action="joined",
            at=NOW,
        )
    ]


async def test_a_uid_video_never_granted_is_not_recorded(uow, deps):
    issued = await token_for(uow, deps, scheduled(uow))
    assert await joined(uow, deps, channel=issued.channel, uid=issued.uid + 2) is None
    assert uow.attendance.rows == {} and uow.events() == []
