"""Book a session: check the slot, reserve a credit in packs, insert under the constraint."""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from booking.adapters.repositories import BookingCheck, BookingReads, KeyedBooking, OwnBookingUnit
from booking.domain.availability import Interval, Slot, blocked_by
from booking.domain.errors import (
    IdempotencyKeyReused,
    MentorNotFound,
    PacksRefused,
    PacksUnavailable,
    TimeSlotUnavailable,
)
from booking.domain.schedule import Schedule
from booking.domain.sessions import Session, SessionStatus, reminder_times
from booking.service_layer import session_events
from booking.service_layer.availability import free_slot
from booking.service_layer.booking_rules import check_rules
from booking.service_layer.credits import release_quietly
from booking.service_layer.dependencies import Dependencies


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
    commits): it checks the slot in one read outside any transaction, asks packs for a credit
    holding no database connection, then inserts and commits in one unit of work. The
    exclusion constraint decides between concurrent bookings of one time, the mentor's locked
    row between bookings that count against their rules (decision 0042); every credit of a
    booking that did not commit is released before the caller hears why (409
    TIME_SLOT_UNAVAILABLE, 503, …). Decision 0031 counts the round trips.
    """
    async with deps.bookings_in_flight.one_at_a_time((cmd.student_id, cmd.idempotency_key)):
        return await _book(cmd, deps=deps)


async def _book(cmd: BookSession, *, deps: Dependencies) -> Booking:
    async with deps.own_reads() as reads:
        found = await _check(cmd, reads=reads, deps=deps)
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
    except PacksRefused:
        # A twin of this request (the same key, sent at once) may hold the last credit.
        if (twin := await _earlier_booking(cmd, deps=deps)) is not None:
            return twin
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
        async with deps.own_unit() as uow:
            await check_rules(
                uow.bookings,
                mentor_id=cmd.mentor_id,
                student_id=cmd.student_id,
                schedule=schedule,
                starts_at=session.starts_at,
                locked=True,
            )
            if not await _insert(cmd, session, schedule=schedule, uow=uow, deps=deps):
                earlier = await uow.sessions.by_idempotency_key(
                    student_id=cmd.student_id, key=cmd.idempotency_key
                )
                if earlier is not None:  # the same request, sent twice at once
                    return _same_request(cmd, earlier)
                raise TimeSlotUnavailable("another session of the mentor takes that time")
            await uow.commit()
            committed = True
    finally:
        if not committed:
            await release_quietly(deps, session_id)
    return Booking(session, created=True)


async def _read(cmd: BookSession, *, reads: BookingReads, deps: Dependencies) -> BookingCheck:
    requested = Interval(cmd.starts_at, cmd.starts_at + timedelta(minutes=cmd.duration_minutes))
    return await reads.bookings.check(
        mentor_id=cmd.mentor_id,
        student_id=cmd.student_id,
        key=cmd.idempotency_key,
        slot=requested,
        now=deps.clock.now(),
    )


async def _earlier_booking(cmd: BookSession, *, deps: Dependencies) -> Booking | None:
    async with deps.own_reads() as reads:
        found = await _read(cmd, reads=reads, deps=deps)
    return None if found.earlier is None else _same_request(cmd, found.earlier)


async def _check(
    cmd: BookSession, *, reads: BookingReads, deps: Dependencies
) -> Booking | tuple[Schedule, Slot]:
    """An earlier booking with this key, or the mentor's schedule and the free slot.

    One snapshot: a twin request that committed meanwhile shows as the earlier booking, never
    as the session taking the time.
    """
    found = await _read(cmd, reads=reads, deps=deps)
    if found.earlier is not None:
        return _same_request(cmd, found.earlier)
    if found.schedule is None:
        raise MentorNotFound(f"no mentor profile {cmd.mentor_id}")
    slot = await free_slot(
        found.schedule,
        taken=found.busy,
        mentor_id=cmd.mentor_id,
        start=cmd.starts_at,
        duration_minutes=cmd.duration_minutes,
        deps=deps,
    )
    await check_rules(
        reads.bookings,
        mentor_id=cmd.mentor_id,
        student_id=cmd.student_id,
        schedule=found.schedule,
        starts_at=slot.start,
        locked=False,
    )
    return found.schedule, slot


async def _insert(
    cmd: BookSession,
    session: Session,
    *,
    schedule: Schedule,
    uow: OwnBookingUnit,
    deps: Dependencies,
) -> bool:
    """Insert under the exclusion constraint with its reminders and event; False if it lost."""
    now = deps.clock.now()
    inserted = await uow.bookings.insert(
        session,
        blocked=blocked_by(schedule, session.starts_at, session.ends_at),
        idempotency_key=cmd.idempotency_key,
        fingerprint=cmd.fingerprint(),
        reminders=reminder_times(session.starts_at, offsets=deps.policy.reminder_offsets, now=now),
        now=now,
    )
    if inserted:
        uow.record(session_events.booked(session))
    return inserted


def _same_request(cmd: BookSession, earlier: KeyedBooking) -> Booking:
    """The booking this key made, if this is the same request again."""
    if earlier.fingerprint != cmd.fingerprint():
        raise IdempotencyKeyReused("this Idempotency-Key was used for another booking")
    return Booking(earlier.session, created=False)
