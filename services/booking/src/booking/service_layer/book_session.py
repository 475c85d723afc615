"""Book a session: check the slot, reserve a credit in packs, insert under the constraint."""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import uuid4

from booking.adapters import holds as holds_repo
from booking.adapters import reminders as reminders_repo
from booking.adapters import sessions as sessions_repo
from booking.domain.availability import blocked_by
from booking.domain.errors import IdempotencyKeyReused, PacksUnavailable, TimeSlotUnavailable
from booking.domain.sessions import Session, SessionStatus, reminder_times
from booking.service_layer.availability import bookable_slot, load_schedule
from booking.service_layer.credits import release_quietly
from booking.service_layer.dependencies import Dependencies
from shared.messaging.events import SessionBooked
from shared.uow import UnitOfWork


@dataclass(frozen=True)
class BookSession:
    student_id: str
    mentor_id: str
    starts_at: datetime
    duration_minutes: int
    topic: str
    idempotency_key: str

    def fingerprint(self) -> str:
        """What makes two requests with one key the same request."""
        parts = (
            self.mentor_id,
            self.starts_at.astimezone(UTC).isoformat(),
            str(self.duration_minutes),
            self.topic,
        )
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class Booking:
    session: Session
    created: bool


async def book_session(cmd: BookSession, *, uow: UnitOfWork, deps: Dependencies) -> Booking:
    """The session, new or the one this idempotency key already booked.

    The exclusion constraint decides between concurrent bookings of one time; the loser's
    credit is released before it hears 409 TIME_SLOT_UNAVAILABLE. If the caller's commit
    fails, it calls `abandon_booking` so the credit goes back.
    """
    db = uow.connection
    earlier = await _earlier_booking(cmd, uow=uow)
    if earlier is not None:
        return earlier
    schedule = await load_schedule(db, cmd.mentor_id)
    now = deps.clock.now()
    try:
        slot = await bookable_slot(
            db,
            schedule=schedule,
            mentor_id=cmd.mentor_id,
            start=cmd.starts_at,
            duration_minutes=cmd.duration_minutes,
            deps=deps,
            student_id=cmd.student_id,
        )
    except TimeSlotUnavailable:
        # Perhaps taken by this very request, sent twice and committed meanwhile.
        if (concurrent := await _earlier_booking(cmd, uow=uow)) is not None:
            return concurrent
        raise
    session_id = uuid4()  # one per attempt: a released credit's id is never reused
    try:
        credit = await deps.packs.reserve(
            session_id=session_id,
            student_id=cmd.student_id,
            mentor_id=cmd.mentor_id,
            starts_at=slot.start,
        )
    except PacksUnavailable as silence:
        if silence.timed_out:
            # A reserve that timed out may still have happened: give it back (packs keeps a
            # released marker, so a late reserve cannot take the credit either).
            await release_quietly(deps, session_id)
        raise
    session = Session(
        id=session_id,
        mentor_id=cmd.mentor_id,
        student_id=cmd.student_id,
        pack_id=credit.pack_id,
        starts_at=slot.start,
        ends_at=slot.end,
        status=SessionStatus.scheduled,
        topic=cmd.topic,
        join_url=deps.policy.join_url(session_id),
        mentor_timezone=schedule.timezone,
    )
    try:
        inserted = await sessions_repo.add_session(
            db,
            session,
            blocked=blocked_by(schedule, slot.start, slot.end),
            idempotency_key=cmd.idempotency_key,
            fingerprint=cmd.fingerprint(),
            now=now,
        )
    except BaseException:
        await release_quietly(deps, session_id)
        raise
    if not inserted:
        await release_quietly(deps, session_id)
        concurrent = await _earlier_booking(cmd, uow=uow)
        if concurrent is not None:  # the same request, sent twice at once
            return concurrent
        raise TimeSlotUnavailable("another session of the mentor takes that time")
    await holds_repo.drop_holds_of(db, student_id=cmd.student_id, mentor_id=cmd.mentor_id)
    await reminders_repo.plan_reminders(
        db,
        session_id=session.id,
        sequence=session.sequence,
        due=reminder_times(session.starts_at, offsets=deps.policy.reminder_offsets, now=now),
    )
    uow.record(
        SessionBooked(
            session_id=session.id,
            mentor_id=session.mentor_id,
            student_id=session.student_id,
            pack_id=session.pack_id,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            join_url=session.join_url,
            mentor_timezone=session.mentor_timezone,
            topic=session.topic,
            status=session.status.value,
        )
    )
    return Booking(session, created=True)


async def abandon_booking(booking: Booking, *, deps: Dependencies) -> None:
    """The booking's transaction did not commit: give its credit back."""
    if booking.created:
        await release_quietly(deps, booking.session.id)


async def _earlier_booking(cmd: BookSession, *, uow: UnitOfWork) -> Booking | None:
    row = await sessions_repo.by_idempotency_key(
        uow.connection, student_id=cmd.student_id, key=cmd.idempotency_key
    )
    if row is None:
        return None
    if row.request_fingerprint != cmd.fingerprint():
        raise IdempotencyKeyReused("this Idempotency-Key was used for another booking")
    return Booking(sessions_repo.session_of(row), created=False)
