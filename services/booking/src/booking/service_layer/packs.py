"""Booking's projection of packs' facts, for eligibility hints and the instructor dashboard.

Packs stays the source of truth; booking never asks it synchronously for the dashboard.
"""

from datetime import datetime

from booking.adapters import packs_projection as projection
from shared.messaging.events import (
    MentorCapacityChanged,
    PackDepleted,
    PackExpired,
    PackPurchased,
    PackRevoked,
    SeatGraceStarted,
    SeatReleased,
)
from shared.uow import UnitOfWork


async def record_purchased_pack(
    event: PackPurchased, *, uow: UnitOfWork, now: datetime, at: datetime
) -> None:
    """The pack (extended by a renewal) and its seat, active again if it was in grace."""
    await projection.upsert_pack(
        uow.connection,
        pack_id=event.pack_id,
        seat_id=event.seat_id,
        student_id=event.student_id,
        mentor_id=event.mentor_id,
        sessions_total=event.sessions_total,
        session_minutes=event.session_minutes,
        expires_at=event.expires_at,
        now=now,
    )
    await projection.set_seat(
        uow.connection,
        seat_id=event.seat_id,
        student_id=event.student_id,
        mentor_id=event.mentor_id,
        status="active",
        grace_ends_at=None,
        at=at,
    )


PACK_STATUS = {PackDepleted: "depleted", PackExpired: "expired", PackRevoked: "refunded"}


async def record_pack_status(
    event: PackDepleted | PackExpired | PackRevoked, *, uow: UnitOfWork, at: datetime
) -> None:
    status = PACK_STATUS[type(event)]
    await projection.set_pack_status(uow.connection, pack_id=event.pack_id, status=status, at=at)


async def record_seat(
    event: SeatGraceStarted | SeatReleased, *, uow: UnitOfWork, at: datetime
) -> None:
    grace = isinstance(event, SeatGraceStarted)
    await projection.set_seat(
        uow.connection,
        seat_id=event.seat_id,
        student_id=event.student_id,
        mentor_id=event.mentor_id,
        status="grace" if grace else "released",
        grace_ends_at=event.grace_ends_at if isinstance(event, SeatGraceStarted) else None,
        at=at,
    )


async def record_capacity(event: MentorCapacityChanged, *, uow: UnitOfWork, at: datetime) -> None:
    await projection.set_capacity(
        uow.connection,
        mentor_id=event.mentor_id,
        capacity=event.capacity,
        live_seats=event.live_seats,
        open_seats=event.open_seats,
        at=at,
    )
