"""A student reviews a completed session of theirs, once."""

from dataclasses import dataclass
from uuid import UUID, uuid4

from booking.adapters.repositories import BookingUnitOfWork
from booking.domain.errors import AlreadyReviewed, ReviewNotAllowed, SessionNotFound
from booking.domain.sessions import SessionStatus, check_student
from booking.service_layer.dependencies import Dependencies
from shared.messaging.events import ReviewSubmitted


@dataclass(frozen=True)
class SubmitReview:
    session_id: UUID
    student_id: str
    rating: int
    comment: str


@dataclass(frozen=True)
class ReviewAdded:
    review_id: UUID
    average_rating: float
    review_count: int


async def submit_review(
    cmd: SubmitReview, *, uow: BookingUnitOfWork, deps: Dependencies
) -> ReviewAdded:
    session = await uow.sessions.get(cmd.session_id)
    if session is None:
        raise SessionNotFound(f"no session {cmd.session_id}")
    check_student(session, cmd.student_id)
    if session.status is not SessionStatus.completed:
        raise ReviewNotAllowed("only a completed session can be reviewed")
    review_id = uuid4()
    added = await uow.reviews.add(
        review_id=review_id,
        session_id=session.id,
        mentor_id=session.mentor_id,
        student_id=session.student_id,
        rating=cmd.rating,
        comment=cmd.comment,
        now=deps.clock.now(),
    )
    if not added:
        raise AlreadyReviewed("this session has a review already")
    average, count = await uow.reviews.rating_of(session.mentor_id)
    assert average is not None
    uow.record(
        ReviewSubmitted(
            review_id=review_id,
            session_id=session.id,
            mentor_id=session.mentor_id,
            student_id=session.student_id,
            rating=cmd.rating,
            average_rating=average,
            review_count=count,
        )
    )
    return ReviewAdded(review_id, average, count)
