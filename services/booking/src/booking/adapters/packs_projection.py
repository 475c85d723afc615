"""Booking's projection of packs' facts; each row keeps the time of the fact that set it, so
events applied in any order leave the newest fact standing."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert

from booking.adapters.tables import mentor_capacity, student_packs, student_seats
from booking.domain.student_packs import PackStatus, SeatStatus
from shared.db import DbConnection


class SqlPacksProjection:
    """`PacksProjection` in SQL."""

    def __init__(self, connection: DbConnection) -> None:
        self._connection = connection

    async def upsert_pack(
        self,
        *,
        pack_id: UUID,
        seat_id: UUID,
        student_id: str,
        mentor_id: str,
        sessions_total: int,
        session_minutes: int,
        expires_at: datetime,
        now: datetime,
    ) -> None:
        """A stacked renewal only ever extends the pack, whatever order events arrive in."""
        statement = insert(student_packs).values(
            pack_id=pack_id,
            seat_id=seat_id,
            student_id=student_id,
            mentor_id=mentor_id,
            sessions_total=sessions_total,
            session_minutes=session_minutes,
            expires_at=expires_at,
            updated_at=now,
        )
        excluded = statement.excluded
        await self._connection.execute(
            statement.on_conflict_do_update(
                index_elements=["pack_id"],
                set_={
                    "sessions_total": func.greatest(
                        student_packs.c.sessions_total, excluded.sessions_total
                    ),
                    "expires_at": func.greatest(student_packs.c.expires_at, excluded.expires_at),
                    "seat_id": excluded.seat_id,
                    "updated_at": excluded.updated_at,
                },
            )
        )

    async def set_pack_status(self, *, pack_id: UUID, status: PackStatus, at: datetime) -> None:
        """Only packs booking has heard of; an older fact never overwrites a newer one."""
        await self._connection.execute(
            update(student_packs)
            .where(
                student_packs.c.pack_id == pack_id,
                or_(student_packs.c.status_at.is_(None), student_packs.c.status_at < at),
            )
            .values(status=status, status_at=at)
        )

    async def set_seat(
        self,
        *,
        seat_id: UUID,
        student_id: str,
        mentor_id: str,
        status: SeatStatus,
        grace_ends_at: datetime | None,
        at: datetime,
    ) -> None:
        statement = insert(student_seats).values(
            seat_id=seat_id,
            student_id=student_id,
            mentor_id=mentor_id,
            status=status,
            grace_ends_at=grace_ends_at,
            status_at=at,
        )
        excluded = statement.excluded
        await self._connection.execute(
            statement.on_conflict_do_update(
                index_elements=["seat_id"],
                set_={
                    "status": excluded.status,
                    "grace_ends_at": excluded.grace_ends_at,
                    "status_at": excluded.status_at,
                },
                where=student_seats.c.status_at < excluded.status_at,
            )
        )

    async def set_capacity(
        self,
        *,
        mentor_id: str,
        capacity: int,
        live_seats: int,
        open_seats: int,
        at: datetime,
    ) -> None:
        statement = insert(mentor_capacity).values(
            mentor_id=mentor_id,
            capacity=capacity,
            live_seats=live_seats,
            open_seats=open_seats,
            status_at=at,
        )
        excluded = statement.excluded
        await self._connection.execute(
            statement.on_conflict_do_update(
                index_elements=["mentor_id"],
                set_={
                    "capacity": excluded.capacity,
                    "live_seats": excluded.live_seats,
                    "open_seats": excluded.open_seats,
                    "status_at": excluded.status_at,
                },
                where=mentor_capacity.c.status_at < excluded.status_at,
            )
        )

    async def pack_expiry(self, pack_id: UUID) -> datetime | None:
        return await self._connection.scalar(
            select(student_packs.c.expires_at).where(student_packs.c.pack_id == pack_id)
        )
