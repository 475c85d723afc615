"""The reserve hot path in two round trips: one locking read, one write.

Booking calls `packs.credit.reserve` for every session, so this path is kept to the least
work the rules allow: the pair's packs are locked and read together with the student's live
seat and any credit of the session id; the credit insert and the pack's counter update go in
one statement. Both statements are built once (bench/packs_reserve.py measures the path).
"""

from datetime import datetime
from uuid import UUID

from sqlalchemy import and_, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert

from packs.adapters.packs import PACK_COLUMNS, to_pack
from packs.adapters.repositories import LockedPair
from packs.adapters.tables import credits, packs, seats
from packs.domain.model import Credit, CreditStatus, Seat, SeatStatus
from shared.db import DbConnection

_seat = seats.alias("live_seat")
_credit = credits.alias("session_credit")

_LOCK_PAIR = (
    select(
        *PACK_COLUMNS,
        _seat.c.id.label("live_seat_id"),
        _seat.c.status.label("live_seat_status"),
        _credit.c.status.label("credit_status"),
        _credit.c.pack_id.label("credit_pack_id"),
        _credit.c.student_id.label("credit_student_id"),
        _credit.c.mentor_id.label("credit_mentor_id"),
    )
    .select_from(
        packs.outerjoin(
            _seat,
            and_(
                _seat.c.student_id == packs.c.student_id,
                _seat.c.mentor_id == packs.c.mentor_id,
                _seat.c.status != SeatStatus.released.value,
            ),  # live: held/active/grace
        ).outerjoin(_credit, _credit.c.session_id == bindparam("p_session"))
    )
    .where(packs.c.student_id == bindparam("p_student"), packs.c.mentor_id == bindparam("p_mentor"))
    .order_by(packs.c.expires_at, packs.c.id)
    .with_for_update(of=packs)
)

_new_credit = (
    insert(credits)
    .values(
        session_id=bindparam("p_session"),
        pack_id=bindparam("p_pack"),
        student_id=bindparam("p_student"),
        mentor_id=bindparam("p_mentor"),
        status=CreditStatus.reserved.value,
        session_starts_at=bindparam("p_starts_at"),
        reserved_at=bindparam("p_now"),
        created_at=bindparam("p_now"),
    )
    .on_conflict_do_nothing(index_elements=["session_id"])
    .returning(credits.c.pack_id)
    .cte("new_credit")
)
_RESERVE = (
    update(packs)
    .where(packs.c.id == select(_new_credit.c.pack_id).scalar_subquery())
    .values(sessions_reserved=packs.c.sessions_reserved + 1)
    .returning(packs.c.id)
)


async def lock_pair(
    connection: DbConnection, *, student_id: str, mentor_id: str, session_id: UUID
) -> LockedPair:
    """Lock the pair's packs (in expiry order) and read their seat and the session's credit.

    Without packs nothing is locked and neither seat nor credit is read: the answer is
    PACK_NOT_FOUND whatever they are.
    """
    rows = (
        await connection.execute(
            _LOCK_PAIR,
            {"p_student": student_id, "p_mentor": mentor_id, "p_session": session_id},
        )
    ).all()
    if not rows:
        return LockedPair([], None, None)
    first = rows[0]
    seat = None
    if first.live_seat_id is not None:
        seat = Seat(
            id=first.live_seat_id,
            student_id=student_id,
            mentor_id=mentor_id,
            status=SeatStatus(first.live_seat_status),
        )
    credit = None
    if first.credit_status is not None:
        credit = Credit(
            session_id=session_id,
            pack_id=first.credit_pack_id,
            student_id=first.credit_student_id,
            mentor_id=first.credit_mentor_id,
            status=CreditStatus(first.credit_status),
        )
    return LockedPair([to_pack(row) for row in rows], seat, credit)


async def reserve(
    connection: DbConnection,
    *,
    session_id: UUID,
    pack_id: UUID,
    student_id: str,
    mentor_id: str,
    starts_at: datetime,
    now: datetime,
) -> bool:
    """Insert the reserved credit and count it on its pack; False if the id had a credit."""
    result = await connection.execute(
        _RESERVE,
        {
            "p_session": session_id,
            "p_pack": pack_id,
            "p_student": student_id,
            "p_mentor": mentor_id,
            "p_starts_at": starts_at,
            "p_now": now,
        },
    )
    return result.first() is not None
