"""Calendar feeds: the token hashes, and the sessions a feed lists."""

from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.dialects.postgresql import insert

from booking.adapters.sessions import session_of
from booking.adapters.tables import calendar_feeds, sessions
from booking.domain.calendar_feed import FeedEntry, FeedOwner, FeedRole, FeedWindow
from booking.domain.sessions import SessionStatus
from shared.db import DbConnection


class SqlCalendarFeeds:
    """`CalendarFeedRepository` in SQL."""

    def __init__(self, connection: DbConnection) -> None:
        self._connection = connection

    async def replace(self, owner: FeedOwner, *, token_hash: str, now: datetime) -> None:
        values = {"role": owner.role.value, "token_hash": token_hash, "created_at": now}
        await self._connection.execute(
            insert(calendar_feeds)
            .values(user_id=owner.user_id, **values)
            .on_conflict_do_update(index_elements=[calendar_feeds.c.user_id], set_=values)
        )

    async def revoke(self, user_id: str) -> bool:
        deleted = await self._connection.execute(
            delete(calendar_feeds).where(calendar_feeds.c.user_id == user_id)
        )
        return bool(deleted.rowcount)

    async def owner_of(self, token_hash: str) -> tuple[FeedOwner, datetime] | None:
        row = (
            await self._connection.execute(
                select(calendar_feeds).where(calendar_feeds.c.token_hash == token_hash)
            )
        ).first()
        if row is None:
            return None
        return FeedOwner(row.user_id, FeedRole(row.role)), row.created_at

    async def entries(self, owner: FeedOwner, *, window: FeedWindow, limit: int) -> list[FeedEntry]:
        person = sessions.c.mentor_id if owner.role is FeedRole.mentor else sessions.c.student_id
        rows = await self._connection.execute(
            select(sessions)
            .where(
                person == owner.user_id,
                sessions.c.starts_at >= window.starts_from,
                or_(
                    sessions.c.status != SessionStatus.canceled,
                    sessions.c.canceled_at >= window.canceled_since,
                ),
            )
            .order_by(sessions.c.starts_at.desc(), sessions.c.session_id)
            .limit(limit)
        )
        found = [FeedEntry(session_of(row), row.updated_at) for row in rows]
        return found[::-1]
