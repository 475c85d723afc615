"""Booking's projection of packs' facts, for eligibility hints and the instructor dashboard.

Packs stays the source of truth; booking never asks it synchronously for the dashboard.
"""

from datetime import datetime

from booking.adapters.repositories import BookingUnitOfWork
from booking.domain.student_packs import PackStatus, SeatStatus
from shared.messaging.events import (
    MentorCapacityChanged,
    PackDepleted,
    PackExpired,
    PackPurchased,
    PackRevoked,
    SeatGraceStarted,
    SeatReleased,
)


async def record_purchased_pack(
    event: PackPurchased, *, uow: BookingUnitOfWork, now: datetime, at: datetime
) -> None:
    """The pack (extended by a renewal) and its seat, active again if it was in grace."""
    await uow.packs.upsert_pack(
        pack_id=event.pack_id,
        seat_id=event.seat_id,
        student_id=event.student_id,
        mentor_id=event.mentor_id,
        sessions_total=event.sessions_total,
        session_minutes=event.session_minutes,
        expires_at=event.expires_at,
        now=now,
    )
    await uow.packs.set_seat(
        seat_id=event.seat_id,
        student_id=event.student_id,
        mentor_id=event.mentor_id,
        status=SeatStatus.active,
        grace_ends_at=None,
        at=at,
    )


PACK_STATUS = {
    PackDepleted: PackStatus.depleted,
    PackExpired: PackStatus.expired,
    PackRevoked: PackStatus.refunded,
}


async def record_pack_status(
    event: PackDepleted | PackExpired | PackRevoked, *, uow: BookingUnitOfWork, at: datetime
) -> None:
    status = PACK_STATUS[type(event)]
    await uow.packs.set_pack_status(pack_id=event.pack_id, status=status, at=at)


async def record_seat(
    event: SeatGraceStarted | SeatReleased, *, uow: BookingUnitOfWork, at: datetime
) -> None:
    grace = isinstance(event, SeatGraceStarted)
    await uow.packs.set_seat(
        seat_id=event.seat_id,
        student_id=event.student_id,
        mentor_id=event.mentor_id,
        status=SeatStatus.grace if grace else SeatStatus.released,
        grace_ends_at=event.grace_ends_at if isinstance(event, SeatGraceStarted) else None,
        at=at,
    )


async def record_capacity(
    event: MentorCapacityChanged, *, uow: BookingUnitOfWork, at: datetime
) -> None:
    await uow.packs.set_capacity(
        mentor_id=event.mentor_id,
        capacity=event.capacity,
        live_seats=event.live_seats,
        open_seats=event.open_seats,
        at=at,
    )
