"""Booking's session use cases on the fake unit of work: who may, what changes, what is announced.

The races (two bookings of one time, one key sent twice, a reschedule into a time just taken by
another transaction) stay in the integration tests, on the real exclusion constraint.
"""

from datetime import timedelta

import pytest

from booking.domain.errors import (
    AlreadyReviewed,
    IllegalTransition,
    NotYourSession,
    ReviewNotAllowed,
    ScheduledAfterExpiration,
    SessionNotFound,
    SlotNotOffered,
    TimeSlotUnavailable,
)
from booking.domain.sessions import Actor, SessionStatus
from booking.service_layer.cancel_session import CancelSession, cancel_session
from booking.service_layer.reschedule_session import RescheduleSession, reschedule_session
from booking.service_layer.submit_review import SubmitReview, submit_review
from booking.service_layer.update_session import UpdateSession, update_session
from shared.messaging.events import (
    ReviewSubmitted,
    SessionCanceled,
    SessionCompleted,
    SessionNoShow,
    SessionRescheduled,
)

from .builders import MENTOR, NOW, STUDENT, a_session


async def run(use_case, command, *, uow, deps):
    """The use case in one unit of work that commits, as its route runs it."""
    async with uow:
        result = await use_case(command, uow=uow, deps=deps)
        await uow.commit()
    return result


# ---- cancel -------------------------------------------------------------------------------


async def test_only_the_sessions_student_or_mentor_may_cancel_it(uow, deps):
    session = a_session(uow)

    with pytest.raises(NotYourSession):
        await run(cancel_session, CancelSession(session.id, "someone-else"), uow=uow, deps=deps)

    assert uow.sessions.rows[session.id].status is SessionStatus.scheduled
    assert uow.events() == []


async def test_an_unknown_session_is_not_found(uow, deps):
    session = a_session(uow)
    del uow.sessions.rows[session.id]

    with pytest.raises(SessionNotFound):
        await run(cancel_session, CancelSession(session.id, STUDENT), uow=uow, deps=deps)


async def test_a_student_cancelling_inside_the_window_forfeits_and_the_reminders_stop(uow, deps):
    session = a_session(uow, starts_in=timedelta(hours=3))

    canceled = await run(
        cancel_session, CancelSession(session.id, STUDENT, "sick"), uow=uow, deps=deps
    )

    assert (canceled.status, canceled.late, canceled.canceled_by) == (
        SessionStatus.canceled,
        True,
        Actor.student,
    )
    assert uow.sessions.rows[session.id].status is SessionStatus.canceled
    assert uow.reminders.unsent(session.id) == {}
    [event] = uow.events()
    assert isinstance(event, SessionCanceled)
    assert (event.canceled_by, event.late, event.reason) == ("student", True, "sick")


async def test_a_student_cancelling_in_good_time_and_a_mentor_cancelling_late_keep_the_credit(
    uow, deps
):
    early = a_session(uow, starts_in=timedelta(days=5))
    soon = a_session(uow, starts_in=timedelta(hours=3, days=3))
    deps.clock.advance(timedelta(days=3))

    await run(cancel_session, CancelSession(early.id, STUDENT), uow=uow, deps=deps)
    await run(cancel_session, CancelSession(soon.id, MENTOR), uow=uow, deps=deps)

    assert [(e.canceled_by, e.late) for e in uow.events()] == [
        ("student", False),
        ("mentor", False),
    ]


async def test_cancelling_an_already_canceled_session_announces_nothing_more(uow, deps):
    session = a_session(uow)
    await run(cancel_session, CancelSession(session.id, STUDENT), uow=uow, deps=deps)

    again = await run(cancel_session, CancelSession(session.id, MENTOR), uow=uow, deps=deps)

    assert again.canceled_by is Actor.student
    assert len(uow.events()) == 1


# ---- update (the mentor records what happened) --------------------------------------------


async def test_only_the_mentor_records_what_happened(uow, deps):
    session = a_session(uow, starts_in=-timedelta(minutes=30))

    with pytest.raises(NotYourSession):
        await run(
            update_session,
            UpdateSession(session.id, STUDENT, status=SessionStatus.completed),
            uow=uow,
            deps=deps,
        )

    assert uow.sessions.rows[session.id].status is SessionStatus.scheduled


async def test_completing_twice_announces_once_and_keeps_the_notes(uow, deps):
    session = a_session(uow, starts_in=-timedelta(minutes=30))
    command = UpdateSession(session.id, MENTOR, status=SessionStatus.completed, notes="good")

    await run(update_session, command, uow=uow, deps=deps)
    await run(update_session, command, uow=uow, deps=deps)

    stored = uow.sessions.rows[session.id]
    assert (stored.status, stored.completed_at, stored.notes) == (
        SessionStatus.completed,
        NOW,
        "good",
    )
    assert [type(e) for e in uow.events()] == [SessionCompleted]


async def test_a_no_show_before_the_start_is_refused(uow, deps):
    session = a_session(uow, starts_in=timedelta(hours=1))
    command = UpdateSession(session.id, MENTOR, status=SessionStatus.no_show)

    with pytest.raises(IllegalTransition):
        await run(update_session, command, uow=uow, deps=deps)

    deps.clock.advance(timedelta(hours=1, minutes=5))
    await run(update_session, command, uow=uow, deps=deps)
    assert [type(e) for e in uow.events()] == [SessionNoShow]


async def test_a_completed_session_cannot_be_marked_a_no_show_or_canceled(uow, deps):
    session = a_session(uow, starts_in=-timedelta(minutes=30))
    await run(
        update_session,
        UpdateSession(session.id, MENTOR, status=SessionStatus.completed),
        uow=uow,
        deps=deps,
    )

    for status in (SessionStatus.no_show, SessionStatus.canceled):
        with pytest.raises(IllegalTransition):
            await run(
                update_session, UpdateSession(session.id, MENTOR, status=status), uow=uow, deps=deps
            )


async def test_a_canceled_session_cannot_be_completed(uow, deps):
    session = a_session(uow, starts_in=-timedelta(minutes=30), status=SessionStatus.canceled)

    with pytest.raises(IllegalTransition):
        await run(
            update_session,
            UpdateSession(session.id, MENTOR, status=SessionStatus.completed),
            uow=uow,
            deps=deps,
        )
    assert uow.events() == []


async def test_the_mentor_canceling_through_an_update_is_a_cancel_by_the_mentor(uow, deps):
    session = a_session(uow, starts_in=timedelta(hours=2))

    await run(
        update_session,
        UpdateSession(session.id, MENTOR, status=SessionStatus.canceled, reason="ill"),
        uow=uow,
        deps=deps,
    )

    [event] = uow.events()
    assert (event.canceled_by, event.late, event.reason) == ("mentor", False, "ill")


# ---- reschedule ---------------------------------------------------------------------------


async def test_a_participant_moves_the_session_and_its_reminders_follow(uow, deps):
    session = a_session(uow)  # Wednesday 08:00 UTC: not working hours, but it was booked so
    new_start = (NOW + timedelta(days=3)).replace(hour=10)

    moved = await run(
        reschedule_session, RescheduleSession(session.id, MENTOR, new_start), uow=uow, deps=deps
    )

    assert (moved.starts_at, moved.ends_at, moved.sequence) == (
        new_start,
        new_start + timedelta(hours=1),
        1,
    )
    assert uow.sessions.rows[session.id].starts_at == new_start
    assert uow.reminders.unsent(session.id) == {
        24 * 60: new_start - timedelta(hours=24),
        10: new_start - timedelta(minutes=10),
    }
    [event] = uow.events()
    assert isinstance(event, SessionRescheduled)
    assert (event.previous_starts_at, event.starts_at, event.sequence) == (
        session.starts_at,
        new_start,
        1,
    )


async def test_only_a_participant_may_reschedule(uow, deps):
    session = a_session(uow)
    new_start = (NOW + timedelta(days=3)).replace(hour=10)

    with pytest.raises(NotYourSession):
        await run(
            reschedule_session,
            RescheduleSession(session.id, "other", new_start),
            uow=uow,
            deps=deps,
        )


async def test_rescheduling_to_its_own_time_changes_nothing(uow, deps):
    session = a_session(uow)

    same = await run(
        reschedule_session,
        RescheduleSession(session.id, STUDENT, session.starts_at),
        uow=uow,
        deps=deps,
    )

    assert same.sequence == 0
    assert uow.events() == []


async def test_a_move_outside_the_hours_or_onto_another_session_is_refused(uow, deps):
    session = a_session(uow)
    other = a_session(uow, starts_in=timedelta(days=3, hours=2))  # Thursday 10:00

    with pytest.raises(SlotNotOffered):
        await run(
            reschedule_session,
            RescheduleSession(session.id, STUDENT, (NOW + timedelta(days=3)).replace(hour=18)),
            uow=uow,
            deps=deps,
        )
    with pytest.raises(TimeSlotUnavailable):
        await run(
            reschedule_session,
            RescheduleSession(session.id, STUDENT, other.starts_at),
            uow=uow,
            deps=deps,
        )
    assert uow.sessions.rows[session.id].starts_at == session.starts_at
    assert uow.events() == []


async def test_a_move_past_the_packs_expiry_is_refused(uow, deps):
    session = a_session(uow)
    uow.packs.expiries[session.pack_id] = NOW + timedelta(days=3)

    with pytest.raises(ScheduledAfterExpiration):
        await run(
            reschedule_session,
            RescheduleSession(session.id, STUDENT, (NOW + timedelta(days=3)).replace(hour=10)),
            uow=uow,
            deps=deps,
        )


async def test_a_canceled_session_cannot_be_rescheduled(uow, deps):
    session = a_session(uow, status=SessionStatus.canceled)

    with pytest.raises(Exception, match="cannot be rescheduled"):
        await run(
            reschedule_session,
            RescheduleSession(session.id, STUDENT, (NOW + timedelta(days=3)).replace(hour=10)),
            uow=uow,
            deps=deps,
        )


# ---- reviews ------------------------------------------------------------------------------


async def test_the_student_reviews_a_completed_session_once_and_the_average_is_announced(uow, deps):
    first = a_session(uow, status=SessionStatus.completed)
    second = a_session(uow, status=SessionStatus.completed)

    await run(submit_review, SubmitReview(first.id, STUDENT, 5, "great"), uow=uow, deps=deps)
    added = await run(submit_review, SubmitReview(second.id, STUDENT, 4, ""), uow=uow, deps=deps)

    assert (added.average_rating, added.review_count) == (4.5, 2)
    with pytest.raises(AlreadyReviewed):
        await run(submit_review, SubmitReview(first.id, STUDENT, 1, ""), uow=uow, deps=deps)
    assert [(e.rating, e.average_rating) for e in uow.events()] == [(5, 5.0), (4, 4.5)]
    assert all(isinstance(e, ReviewSubmitted) for e in uow.events())


async def test_only_the_sessions_student_reviews_and_only_once_it_was_held(uow, deps):
    held = a_session(uow, status=SessionStatus.completed)
    upcoming = a_session(uow)

    with pytest.raises(NotYourSession):
        await run(submit_review, SubmitReview(held.id, MENTOR, 5, ""), uow=uow, deps=deps)
    with pytest.raises(ReviewNotAllowed):
        await run(submit_review, SubmitReview(upcoming.id, STUDENT, 5, ""), uow=uow, deps=deps)
    assert uow.events() == []
