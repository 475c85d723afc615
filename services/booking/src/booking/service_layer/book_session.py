"""Book a session: check the slot, reserve a credit in packs, insert under the constraint."""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import uuid4

from booking.adapters import holds as holds_repo
from booking.adapters import reminders as reminders_repo
from booking.adapters import sessions as sessions_repo
from booking.domain.availability import Slot, blocked_by
from booking.domain.errors import IdempotencyKeyReused, PacksUnavailable, TimeSlotUnavailable
from booking.domain.schedule import Schedule
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


async def book_session(cmd: BookSession, *, deps: Dependencies) -> Booking:
    """The session, new or the one this idempotency key already booked.

    A saga across two services, so it runs its own units of work (the one use case that
    commits): it checks the slot in one, asks packs for a credit holding no database
    connection, then inserts and commits in a second. The exclusion constraint decides between
    concurrent bookings of one time; every credit of a booking that did not commit is released
    before the caller hears why (409 TIME_SLOT_UNAVAILABLE, 503, …).
    """
    async with deps.uow_factory() as uow:
        found = await _check(cmd, uow=uow, deps=deps)
    if isinstance(found, Booking):
        return found
    schedule, slot = found
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
    committed = False
    try:
        async with deps.uow_factory() as uow:
            if not await _insert(cmd, session, schedule=schedule, uow=uow, deps=deps):
                concurrent = await _earlier_booking(cmd, uow=uow)
                if concurrent is not None:  # the same request, sent twice at once
                    return concurrent
                raise TimeSlotUnavailable("another session of the mentor takes that time")
            await uow.commit()
            committed = True
    finally:
        if not committed:
            await release_quietly(deps, session_id)
    return Booking(session, created=True)


async def _check(
    cmd: BookSession, *, uow: UnitOfWork, deps: Dependencies
) -> Booking | tuple[Schedule, Slot]:
    """An earlier booking with this key, or the mentor's schedule and the free slot."""
    earlier = await _earlier_booking(cmd, uow=uow)
    if earlier is not None:
        return earlier
    schedule = await load_schedule(uow.connection, cmd.mentor_id)
    try:
        slot = await bookable_slot(
            uow.connection,
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
    return schedule, slot


async def _insert(
    cmd: BookSession, session: Session, *, schedule: Schedule, uow: UnitOfWork, deps: Dependencies
) -> bool:
    """Insert under the exclusion constraint with its reminders and event; False if it lost."""
    db = uow.connection
    now = deps.clock.now()
    inserted = await sessions_repo.add_session(
        db,
        session,
        blocked=blocked_by(schedule, session.starts_at, session.ends_at),
        idempotency_key=cmd.idempotency_key,
        fingerprint=cmd.fingerprint(),
        now=now,
    )
    if not inserted:
        return False
    await holds_repo.drop_holds_of(db, student_id=cmd.student_id, mentor_id=cmd.mentor_id)
    await reminders_repo.plan_reminders(
        db,
        session_id=session.id,
        sequence=session.sequence,
        due=reminder_times(session.starts_at, offsets=deps.policy.reminder_offsets, now=now),
        replace=False,
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
    return True


async def _earlier_booking(cmd: BookSession, *, uow: UnitOfWork) -> Booking | None:
    row = await sessions_repo.by_idempotency_key(
        uow.connection, student_id=cmd.student_id, key=cmd.idempotency_key
    )
    if row is None:
        return None
    if row.request_fingerprint != cmd.fingerprint():
        raise IdempotencyKeyReused("this Idempotency-Key was used for another booking")
    return Booking(sessions_repo.session_of(row), created=False)
