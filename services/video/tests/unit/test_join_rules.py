"""Who may join and when: the two participants, from start − 15 min to end + 15 min."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from video.domain.access import JoinPolicy, Participant, admit
from video.domain.errors import NotAParticipant, SessionNotScheduled, TooEarly, TooLate
from video.domain.identity import channel_name, participant_uid
from video.domain.sessions import SessionStatus, SessionView

START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
END = START + timedelta(hours=1)
POLICY = JoinPolicy()
SECOND = timedelta(seconds=1)


def scheduled(status=SessionStatus.scheduled) -> SessionView:
    return SessionView(
        session_id=uuid.uuid4(),
        mentor_id="m1",
        student_id="s1",
        starts_at=START,
        ends_at=END,
        times_at=START - timedelta(days=3),
        status=status,
        status_at=START - timedelta(days=3),
    )


def join(view, now, user_id="s1", role="student"):
    return admit(view, user_id=user_id, role=role, now=now, policy=POLICY)


@pytest.mark.parametrize(
    "now", [START - timedelta(minutes=15), START, END, END + timedelta(minutes=15)]
)
def test_the_window_is_inclusive_at_both_edges(now):
    admission = join(scheduled(), now)
    assert admission.window.closes_at == END + timedelta(minutes=15)


def test_one_second_before_the_window_is_too_early_and_says_when_it_opens():
    with pytest.raises(TooEarly) as refused:
        join(scheduled(), START - timedelta(minutes=15) - SECOND)
    assert refused.value.opens_at == START - timedelta(minutes=15)


def test_one_second_after_the_window_is_too_late():
    with pytest.raises(TooLate):
        join(scheduled(), END + timedelta(minutes=15) + SECOND)


@pytest.mark.parametrize(
    "status", [SessionStatus.canceled, SessionStatus.completed, SessionStatus.no_show, None]
)
def test_only_a_scheduled_session_admits(status):
    with pytest.raises(SessionNotScheduled):
        join(scheduled(status), START)


def test_an_unknown_session_is_not_scheduled():
    with pytest.raises(SessionNotScheduled):
        join(None, START)


@pytest.mark.parametrize(
    "user_id, role",
    [("x", "student"), ("s1", "mentor"), ("m1", "student"), ("s1", "admin"), ("m1", "admin")],
)
def test_a_third_user_or_a_participant_in_the_wrong_role_is_not_a_participant(user_id, role):
    with pytest.raises(NotAParticipant):
        join(scheduled(), START, user_id=user_id, role=role)


def test_a_non_participant_learns_nothing_about_the_status():
    with pytest.raises(NotAParticipant):
        join(scheduled(SessionStatus.canceled), START, user_id="x")


def test_the_mentor_and_the_student_are_told_apart():
    view = scheduled()
    assert join(view, START, "m1", "mentor").participant is Participant.mentor
    assert join(view, START, "s1", "student").participant is Participant.student


def test_uids_are_stable_per_user_and_session_and_distinct_for_the_two_participants():
    key, session = b"k", uuid.uuid4()
    mentor = participant_uid(key, session, user_id="m1", as_=Participant.mentor)
    student = participant_uid(key, session, user_id="s1", as_=Participant.student)
    assert mentor == participant_uid(key, session, user_id="m1", as_=Participant.mentor)
    assert mentor != student
    assert mentor % 2 == 0 and student % 2 == 1
    for _ in range(200):
        other = uuid.uuid4()
        for uid in (
            participant_uid(key, other, user_id="m1", as_=Participant.mentor),
            participant_uid(key, other, user_id="s1", as_=Participant.student),
        ):
            assert 1 <= uid <= 2**32 - 1


def test_channel_names_depend_on_the_key_and_fit_agoras_limit():
    session = uuid.uuid4()
    assert channel_name(b"k", session) == channel_name(b"k", session)
    assert channel_name(b"k", session) != channel_name(b"other", session)
    assert channel_name(b"k", session) != channel_name(b"k", uuid.uuid4())
    assert str(session) not in channel_name(b"k", session)
    assert len(channel_name(b"k", session).encode()) <= 64
