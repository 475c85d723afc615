"""Snapshots: paged owner facts over NATS; a shadow rebuild that loses nothing, with no gap."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Column, DateTime, Integer, String, Table, func, select
from sqlalchemy.dialects.postgresql import insert

from shared.clock import FakeClock
from shared.db import make_metadata
from shared.messaging import RemoteError
from shared.messaging.events import Envelope, MentorCapacityChanged
from shared.messaging.snapshots import (
    Fact,
    RebuildInProgress,
    RebuildSuperseded,
    ShadowRebuild,
    SnapshotEntry,
    SnapshotPage,
    SnapshotRequest,
    fetch_snapshot,
    rebuild_from_snapshot,
    rebuild_markers_table,
    serve_snapshot,
    snapshot_subject,
)

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

metadata = make_metadata()
owned = Table(  # the owner's facts
    "owned_capacity",
    metadata,
    Column("mentor_id", String(100), primary_key=True),
    Column("capacity", Integer, nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
)


def view_table(name: str) -> Table:
    return Table(
        name,
        metadata,
        Column("mentor_id", String(100), primary_key=True),
        Column("capacity", Integer, nullable=False),
        Column("changed_at", DateTime(timezone=True), nullable=False),
    )


live = view_table("capacity_view")
shadow = view_table("capacity_view_rebuild")
markers = rebuild_markers_table(metadata)


async def read_page(connection, *, after: str | None, limit: int) -> list[SnapshotEntry]:
    query = select(owned).order_by(owned.c.mentor_id).limit(limit)
    if after is not None:
        query = query.where(owned.c.mentor_id > after)
    return [
        SnapshotEntry(
            position=row.mentor_id,
            facts=[
                Fact(
                    MentorCapacityChanged(
                        mentor_id=row.mentor_id,
                        capacity=row.capacity,
                        live_seats=0,
                        open_seats=row.capacity,
                    ),
                    row.changed_at,
                )
            ],
        )
        for row in await connection.execute(query)
    ]


async def apply(connection, table: Table, envelope: Envelope) -> None:
    """Order-safe: an older fact never overwrites a newer one."""
    event = envelope.payload()
    statement = insert(table).values(
        mentor_id=event.mentor_id, capacity=event.capacity, changed_at=envelope.occurred_at
    )
    await connection.execute(
        statement.on_conflict_do_update(
            index_elements=["mentor_id"],
            set_={"capacity": statement.excluded.capacity, "changed_at": envelope.occurred_at},
            where=table.c.changed_at < statement.excluded.changed_at,
        )
    )


async def apply_live(rebuild: ShadowRebuild, envelope: Envelope) -> None:
    """What a live consumer does: every current target, live table first."""
    async with rebuild.connection_factory() as connection:
        for table in await rebuild.targets(connection):
            await apply(connection, table, envelope)
        await connection.commit()


def capacity_event(mentor: str, capacity: int, at: datetime) -> Envelope:
    event = MentorCapacityChanged(
        mentor_id=mentor, capacity=capacity, live_seats=0, open_seats=capacity
    )
    return Envelope.wrap(event, producer="packs", occurred_at=at)


@pytest.fixture
async def owner(make_bus):
    """A started bus serving `snapshot.capacity` from its own table."""
    bus = make_bus(register=lambda b: serve_snapshot(b, aggregate="capacity", read_page=read_page))
    async with bus.connection_factory() as connection:
        await connection.run_sync(metadata.create_all)
        await connection.commit()
    await bus.start()
    return bus


async def own(bus, facts: dict[str, int], at: datetime = T0) -> None:
    async with bus.connection_factory() as connection:
        for mentor, capacity in facts.items():
            await connection.execute(
                insert(owned)
                .values(mentor_id=mentor, capacity=capacity, changed_at=at)
                .on_conflict_do_update(
                    index_elements=["mentor_id"], set_={"capacity": capacity, "changed_at": at}
                )
            )
        await connection.commit()


async def rows(bus, table: Table) -> dict[str, int]:
    async with bus.connection_factory() as connection:
        return {r.mentor_id: r.capacity for r in await connection.execute(select(table))}


def shadow_rebuild(bus, clock=None) -> ShadowRebuild:
    return ShadowRebuild(
        projection="capacity",
        live=live,
        shadow=shadow,
        markers=markers,
        connection_factory=bus.connection_factory,
        clock=clock or FakeClock(T0),
    )


async def test_a_snapshot_comes_in_pages_until_the_cursor_ends(owner):
    await own(owner, {f"m{i}": i for i in range(7)})
    pages = [
        page async for page in fetch_snapshot(owner.requester, aggregate="capacity", page_size=3)
    ]
    assert [len(page) for page in pages] == [3, 3, 1]
    items = [envelope for page in pages for envelope in page]
    assert [e.payload().mentor_id for e in items] == [f"m{i}" for i in range(7)]
    assert {e.type for e in items} == {"mentor.capacity_changed"}
    assert all(e.occurred_at == T0 for e in items)


async def test_an_owner_with_nothing_answers_one_empty_last_page(owner):
    pages = [page async for page in fetch_snapshot(owner.requester, aggregate="capacity")]
    assert pages == [[]]


async def test_a_page_exactly_full_is_followed_by_an_empty_last_page(owner):
    await own(owner, {"a": 1, "b": 2})
    pages = [p async for p in fetch_snapshot(owner.requester, aggregate="capacity", page_size=2)]
    assert [len(p) for p in pages] == [2, 0]


async def test_a_page_of_large_facts_stops_early_and_the_rest_follows(make_bus):
    bus = make_bus(
        register=lambda b: serve_snapshot(
            b, aggregate="capacity", read_page=read_page, max_page_bytes=1_000
        )
    )
    async with bus.connection_factory() as connection:
        await connection.run_sync(metadata.create_all)
        await connection.commit()
    await bus.start()
    await own(bus, {f"m{i}": i for i in range(10)})
    pages = [p async for p in fetch_snapshot(bus.requester, aggregate="capacity", page_size=10)]
    assert len(pages) > 2 and all(pages)
    items = [e.payload().mentor_id for page in pages for e in page]
    assert items == [f"m{i}" for i in range(10)]


@pytest.mark.parametrize(
    "body, code",
    [
        ({"cursor": "!!not-base64!!"}, "INVALID_REQUEST"),
        ({"cursor": "////"}, "INVALID_REQUEST"),
        ({"limit": 0}, "INVALID_REQUEST"),
        ({"limit": 501}, "INVALID_REQUEST"),
        ({"cursor": "x" * 501}, "INVALID_REQUEST"),
        ({"cursor": "_w=="}, "INVALID_CURSOR"),  # base64 of a byte that is not UTF-8
    ],
)
async def test_a_bad_page_request_is_refused_with_a_code(owner, body, code):
    class Raw(SnapshotRequest):
        model_config = {"extra": "allow"}

    payload = Raw.model_construct(**body)
    with pytest.raises(RemoteError) as refused:
        await owner.requester.request(snapshot_subject("capacity"), payload, SnapshotPage)
    assert refused.value.code == code


async def test_a_rebuild_replaces_the_projection_with_the_owners_facts(owner):
    await own(owner, {"a": 1, "b": 2, "c": 3})
    for envelope in (capacity_event("a", 9, T0), capacity_event("gone", 5, T0)):
        await apply_live(shadow_rebuild(owner), envelope)

    count = await rebuild_from_snapshot(
        shadow_rebuild(owner),
        requester=owner.requester,
        aggregate="capacity",
        apply=apply,
        page_size=2,
    )

    assert count == 3
    assert await rows(owner, live) == {"a": 1, "b": 2, "c": 3}
    assert await rows(owner, markers) == {}


async def test_live_events_during_a_rebuild_reach_the_swapped_table_in_any_order(owner):
    await own(owner, {"a": 1, "b": 2})
    rebuild = shadow_rebuild(owner)
    rebuild_id = await rebuild.start()
    # Newer than the snapshot: must survive the older snapshot item applied after it.
    await apply_live(rebuild, capacity_event("a", 7, T0 + timedelta(minutes=1)))
    # Older than the snapshot: must not overwrite it.
    await apply_live(rebuild, capacity_event("b", 0, T0 - timedelta(minutes=1)))
    async for items in fetch_snapshot(owner.requester, aggregate="capacity"):
        async with owner.connection_factory() as connection:
            for envelope in items:
                await apply(connection, shadow, envelope)
            await connection.commit()
    # A fact created after the snapshot was read arrives only live.
    await apply_live(rebuild, capacity_event("new", 4, T0 + timedelta(minutes=2)))

    await rebuild.swap(rebuild_id)

    assert await rows(owner, live) == {"a": 7, "b": 2, "new": 4}
    await apply_live(rebuild, capacity_event("a", 8, T0 + timedelta(minutes=3)))
    assert await rows(owner, shadow) != await rows(owner, live)  # no longer a target


async def test_readers_never_see_an_empty_projection_during_the_swap(owner):
    await own(owner, {f"m{i:03}": i for i in range(300)})
    await rebuild_from_snapshot(
        shadow_rebuild(owner), requester=owner.requester, aggregate="capacity", apply=apply
    )
    seen: list[int] = []
    stop = asyncio.Event()

    async def read_counts() -> None:
        while not stop.is_set():
            async with owner.connection_factory() as connection:
                seen.append(await connection.scalar(select(func.count()).select_from(live)))

    reader = asyncio.create_task(read_counts())
    for _ in range(3):
        await rebuild_from_snapshot(
            shadow_rebuild(owner), requester=owner.requester, aggregate="capacity", apply=apply
        )
    stop.set()
    await reader
    assert seen and set(seen) == {300}


async def test_a_second_rebuild_is_refused_while_one_runs_and_a_stale_one_is_taken_over(owner):
    clock = FakeClock(T0)
    first = await shadow_rebuild(owner, clock).start()
    with pytest.raises(RebuildInProgress):
        await shadow_rebuild(owner, clock).start()

    clock.advance(timedelta(minutes=16))
    second = await shadow_rebuild(owner, clock).start()

    with pytest.raises(RebuildSuperseded):
        await shadow_rebuild(owner, clock).swap(first)
    await shadow_rebuild(owner, clock).swap(second)


async def test_a_failed_rebuild_leaves_the_projection_and_stops_writing_the_shadow(owner):
    await apply_live(shadow_rebuild(owner), capacity_event("a", 1, T0))

    async def broken(connection, table, envelope) -> None:
        raise RuntimeError("cannot apply")

    await own(owner, {"b": 2})
    with pytest.raises(RuntimeError):
        await rebuild_from_snapshot(
            shadow_rebuild(owner), requester=owner.requester, aggregate="capacity", apply=broken
        )
    assert await rows(owner, live) == {"a": 1}
    assert await rows(owner, markers) == {}
