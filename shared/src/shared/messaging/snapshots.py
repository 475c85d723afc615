"""Complete, paged snapshots of an owner's facts, so a projection can be rebuilt (decision 0006).

The owner of an aggregate serves `snapshot.<aggregate>`: each page lists envelopes of the
same state-carrying events the stream carries, so a projection applies them through its
ordinary order-safe handlers. `ShadowRebuild` fills a shadow table from them while live
events keep flowing, and swaps it in with one transaction.
"""

import base64
import binascii
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, TypeVar
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import (
    Column,
    DateTime,
    MetaData,
    String,
    Table,
    Uuid,
    delete,
    func,
    insert,
    select,
    text,
)

from shared.clock import Clock
from shared.db import ConnectionFactory, DbConnection
from shared.errors import DomainError, ErrorKind, InvalidInput
from shared.messaging.bus import MessageBus
from shared.messaging.events import Envelope, Event

PAGE_MAX = 500
PAGE_DEFAULT = 200
CURSOR_MAX_CHARS = 500
MAX_PAGE_BYTES = 512 * 1024


Rep = TypeVar("Rep", bound=BaseModel)


class Requests(Protocol):
    """What the client needs of the kernel's requester (`MessageBus.requester`)."""

    async def request(
        self,
        subject: str,
        payload: BaseModel,
        reply_model: type[Rep],
        *,
        timeout: float | None = None,  # noqa: ASYNC109 - the requester's own signature
    ) -> Rep: ...


def snapshot_subject(aggregate: str) -> str:
    return f"snapshot.{aggregate}"


class SnapshotRequest(BaseModel):
    """One page of aggregates after `cursor` (none: from the start)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    cursor: str | None = Field(None, max_length=CURSOR_MAX_CHARS, pattern=r"^[A-Za-z0-9_=-]+$")
    limit: int = Field(PAGE_DEFAULT, ge=1, le=PAGE_MAX)


class SnapshotPage(BaseModel):
    """Envelopes of the page's aggregates; `cursor` is None on the last page."""

    model_config = ConfigDict(frozen=True)

    items: list[Envelope]
    cursor: str | None = None


@dataclass(frozen=True)
class Fact:
    """One state-carrying event of an aggregate and when that part of it last changed."""

    event: Event
    occurred_at: datetime


@dataclass(frozen=True)
class SnapshotEntry:
    """One aggregate: its keyset position (the next page starts after it) and its facts."""

    position: str
    facts: Sequence[Fact]


ReadPage = Callable[..., Awaitable[Sequence[SnapshotEntry]]]
"""`async def read_page(connection, *, after: str | None, limit: int) -> [SnapshotEntry]`, in
position order; raise ValueError for a position it cannot parse."""


class InvalidCursor(InvalidInput):
    code = "INVALID_CURSOR"


def encode_cursor(position: str) -> str:
    return base64.urlsafe_b64encode(position.encode()).decode()


def decode_cursor(cursor: str) -> str:
    try:
        return base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise InvalidCursor("the cursor is not one this service gave out") from exc


def serve_snapshot(
    bus: MessageBus,
    *,
    aggregate: str,
    read_page: ReadPage,
    max_page_bytes: int = MAX_PAGE_BYTES,
) -> None:
    """Answer `snapshot.<aggregate>` from `read_page`, one connection per page.

    A page stops early, after a whole aggregate, once its envelopes pass `max_page_bytes`,
    so a reply stays well under NATS's message size limit (1 MiB by default).
    """
    producer = bus.settings.service_name
    correlation = snapshot_subject(aggregate)

    async def serve(request: SnapshotRequest) -> SnapshotPage:
        after = decode_cursor(request.cursor) if request.cursor is not None else None
        async with bus.connection_factory() as connection:
            try:
                entries = await read_page(connection, after=after, limit=request.limit)
            except ValueError as exc:
                raise InvalidCursor(f"the cursor names no position: {exc}") from exc
        items: list[Envelope] = []
        size, last = 0, None
        for entry in entries:
            if last is not None and size > max_page_bytes:
                break
            for fact in entry.facts:
                envelope = Envelope.wrap(
                    fact.event,
                    producer=producer,
                    occurred_at=fact.occurred_at,
                    correlation_id=correlation,
                )
                size += len(envelope.model_dump_json())
                items.append(envelope)
            last = entry
        more = last is not None and (last is not entries[-1] or len(entries) == request.limit)
        cursor = encode_cursor(last.position) if more and last is not None else None
        return SnapshotPage(items=items, cursor=cursor)

    bus.responder(snapshot_subject(aggregate), SnapshotRequest)(serve)


async def fetch_snapshot(
    requester: Requests,
    *,
    aggregate: str,
    page_size: int = PAGE_DEFAULT,
) -> AsyncIterator[list[Envelope]]:
    """Every page of the owner's snapshot, in order; raises RequestFailed if it stops answering."""
    cursor: str | None = None
    while True:
        page = await requester.request(
            snapshot_subject(aggregate),
            SnapshotRequest(cursor=cursor, limit=page_size),
            SnapshotPage,
        )
        yield page.items
        if page.cursor is None:
            return
        cursor = page.cursor


# ---- the projection side: shadow table, marker, swap ------------------------------------


def rebuild_markers_table(metadata: MetaData) -> Table:
    """One row per projection being rebuilt; live handlers write to the shadow while it exists."""
    return Table(
        "projection_rebuilds",
        metadata,
        Column("projection", String(100), primary_key=True),
        Column("rebuild_id", Uuid, nullable=False),
        Column("started_at", DateTime(timezone=True), nullable=False),
    )


class RebuildInProgress(DomainError):
    code = "REBUILD_IN_PROGRESS"
    kind = ErrorKind.conflict


class RebuildSuperseded(DomainError):
    code = "REBUILD_SUPERSEDED"
    kind = ErrorKind.conflict


@dataclass(frozen=True)
class ShadowRebuild:
    """Rebuilds `live` through `shadow` (same columns) without a gap for readers.

    Lock order: live then shadow, in handlers (`targets`) and in `swap` alike.
    """

    projection: str
    live: Table
    shadow: Table
    markers: Table
    connection_factory: ConnectionFactory
    clock: Clock
    stale_after: timedelta = timedelta(minutes=15)

    async def targets(self, connection: DbConnection) -> list[Table]:
        """The tables a live event goes to now: the live one, and the shadow during a rebuild."""
        marker = await connection.scalar(
            select(self.markers.c.rebuild_id).where(self.markers.c.projection == self.projection)
        )
        return [self.live] if marker is None else [self.live, self.shadow]

    async def start(self) -> UUID:
        """Empty the shadow and mark the rebuild; refuses while a fresh one runs."""
        rebuild_id = uuid4()
        now = self.clock.now()
        async with self.connection_factory() as connection:
            current = (
                await connection.execute(
                    select(self.markers)
                    .where(self.markers.c.projection == self.projection)
                    .with_for_update()
                )
            ).first()
            if current is not None and current.started_at > now - self.stale_after:
                raise RebuildInProgress(
                    f"{self.projection} is being rebuilt since {current.started_at}"
                )
            await connection.execute(
                delete(self.markers).where(self.markers.c.projection == self.projection)
            )
            await connection.execute(text(f'TRUNCATE "{self.shadow.name}"'))
            await connection.execute(
                insert(self.markers).values(
                    projection=self.projection, rebuild_id=rebuild_id, started_at=now
                )
            )
            await connection.commit()
        return rebuild_id

    async def swap(self, rebuild_id: UUID) -> int:
        """Replace the live rows with the shadow's in one transaction; returns the row count."""
        async with self.connection_factory() as connection:
            await connection.execute(
                text(f'LOCK TABLE "{self.live.name}", "{self.shadow.name}" IN EXCLUSIVE MODE')
            )
            owner = await connection.scalar(
                select(self.markers.c.rebuild_id).where(
                    self.markers.c.projection == self.projection
                )
            )
            if owner != rebuild_id:
                raise RebuildSuperseded(f"another rebuild of {self.projection} took over")
            columns = [column.name for column in self.live.columns]
            await connection.execute(delete(self.live))
            await connection.execute(
                insert(self.live).from_select(
                    columns, select(*(self.shadow.c[name] for name in columns))
                )
            )
            await connection.execute(
                delete(self.markers).where(self.markers.c.projection == self.projection)
            )
            count = await connection.scalar(select(func.count()).select_from(self.live))
            await connection.commit()
        return int(count or 0)

    async def abandon(self, rebuild_id: UUID) -> None:
        """Drop the marker of a failed rebuild so live events stop going to the shadow."""
        async with self.connection_factory() as connection:
            await connection.execute(
                delete(self.markers).where(
                    self.markers.c.projection == self.projection,
                    self.markers.c.rebuild_id == rebuild_id,
                )
            )
            await connection.commit()


Apply = Callable[[DbConnection, Table, Envelope], Awaitable[None]]


async def rebuild_from_snapshot(
    rebuild: ShadowRebuild,
    *,
    requester: Requests,
    aggregate: str,
    apply: Apply,
    page_size: int = PAGE_DEFAULT,
) -> int:
    """Fill the shadow from the owner's snapshot, one transaction a page, then swap it in."""
    rebuild_id = await rebuild.start()
    try:
        async for items in fetch_snapshot(requester, aggregate=aggregate, page_size=page_size):
            async with rebuild.connection_factory() as connection:
                for envelope in items:
                    await apply(connection, rebuild.shadow, envelope)
                await connection.commit()
        return await rebuild.swap(rebuild_id)
    except BaseException:
        await rebuild.abandon(rebuild_id)
        raise
