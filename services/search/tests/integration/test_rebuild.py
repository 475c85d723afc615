"""A rebuild from the owners' snapshots is complete, gapless, and equals the index from events."""

import asyncio
import random
from datetime import date, timedelta

from shared.messaging.events import Envelope
from shared.testing.events import delete_stream, ensure_stream
from shared.testing.helpers import eventually


def state_of_owners(owners, facts, *, mentor_id: str, at, price: int, seats: int, name: str):
    """What booking, packs and payments hold for one mentor (their facts' last changes)."""
    owners.know("mentor", mentor_id, facts.profile(mentor_id, display_name=name), at)
    owners.know("mentor", mentor_id, facts.review(mentor_id, average=4.5, count=12), at)
    owners.know(
        "mentor",
        mentor_id,
        facts.availability(mentor_id, next_at=at + timedelta(days=400), days=[date(2027, 5, 1)]),
        at,
    )
    owners.know("mentor_capacity", mentor_id, facts.seats(mentor_id, open_seats=seats), at)
    product = facts.product(mentor_id, price=price)
    owners.know("product", str(product.product_id), product, at)


async def test_a_mentor_whose_only_events_left_the_stream_is_rebuilt_complete(
    search, owners, facts, nats_url, namespace
):
    long_ago = facts.T0 - timedelta(days=90)  # far beyond the stream's 7 days
    state_of_owners(
        owners, facts, mentor_id="old", at=long_ago, price=7_500, seats=2, name="Old Timer"
    )
    await search.publish(facts.profile("new", display_name="New Comer"))
    await eventually(lambda: search.found(1))
    # The stream lost everything (retention, or a JetStream tail lost on power failure).
    await delete_stream(nats_url, namespace)
    await ensure_stream(nats_url, namespace)
    state_of_owners(
        owners, facts, mentor_id="new", at=facts.T0, price=9_000, seats=0, name="New Comer"
    )
    assert await search.ids(q="timer") == []

    report = await search.rebuild()

    assert report["backend"] == "embedded"
    assert (report["mentors"], report["products"], report["documents"]) == (2, 2, 2)
    [old] = (await search.search(q="timer"))["items"]
    assert (old["price_amount"], old["open_seats"], old["accepting_students"]) == (7_500, 2, True)
    assert (old["rating_avg"], old["rating_count"], old["available_days"]) == (
        4.5,
        12,
        ["2027-05-01"],
    )
    [new] = (await search.search(q="comer"))["items"]
    assert (new["price_amount"], new["accepting_students"]) == (9_000, False)


async def test_live_events_during_a_rebuild_are_kept_and_readers_never_see_a_gap(
    search, owners, facts
):
    for n in range(30):
        state_of_owners(
            owners,
            facts,
            mentor_id=f"m{n:02d}",
            at=facts.T0,
            price=5_000,
            seats=3,
            name=f"Mentor {n}",
        )
    await search.rebuild()
    assert (await search.search())["total"] == 30
    totals: list[int] = []

    async def while_filling(page: int) -> None:
        totals.append((await search.search())["total"])
        if len(totals) == 1:  # a newer fact arrives while the shadow is being filled
            envelope = await search.publish(
                facts.profile("m00", display_name="Renamed Meanwhile"),
                at=facts.T0 + timedelta(hours=1),
            )
            await eventually(lambda: search.processed(envelope))

    owners.on_page = while_filling
    report = await search.rebuild_paged(page_size=7)

    assert report["documents"] == 30
    assert totals and set(totals) == {30}, "readers always saw the whole old directory"
    assert await search.ids(q="renamed meanwhile") == ["m00"]


async def test_a_rebuild_while_another_runs_is_refused(search, owners, facts):
    state_of_owners(owners, facts, mentor_id="m1", at=facts.T0, price=5_000, seats=3, name="A")
    started = asyncio.Event()
    release = asyncio.Event()

    async def hold(page: int) -> None:
        started.set()
        await release.wait()

    owners.on_page = hold
    first = asyncio.create_task(search.rebuild())
    await started.wait()
    second = await search.client.post("/v1/admin/rebuilds/directory", headers=search.admin)
    release.set()
    await first

    assert second.status_code == 409
    assert second.json()["code"] == "REBUILD_IN_PROGRESS"


async def test_replayed_duplicated_and_reordered_events_equal_a_clean_rebuild(
    search, owners, facts
):
    rng = random.Random(7)
    history = []  # (event, at) in the order the facts happened
    for n in range(12):
        mentor = f"m{n:02d}"
        product_id = None
        for version in range(3):
            at = facts.T0 + timedelta(minutes=10 * version + n)
            active = rng.random() < 0.8
            product = facts.product(
                mentor,
                price=rng.randrange(1_000, 50_000, 100),
                product_id=product_id,
                active=active,
            )
            product_id = product.product_id
            next_at = at + timedelta(days=1)
            history += [
                (facts.profile(mentor, display_name=f"Mentor {n} v{version}"), at),
                (facts.seats(mentor, open_seats=rng.randint(0, 3)), at),
                (facts.review(mentor, average=round(rng.uniform(1, 5), 2), count=version + 1), at),
                (facts.availability(mentor, next_at=next_at, days=[next_at.date()]), at),
                (product, at),
            ]
    # The owners know the last fact of each part (what their tables hold now).
    for event, at in history:
        aggregate = {"ProductUpdated": "product", "MentorCapacityChanged": "mentor_capacity"}.get(
            type(event).__name__, "mentor"
        )
        key = str(event.product_id) if aggregate == "product" else event.mentor_id
        owners.know(aggregate, key, event, at)

    envelopes = [Envelope.wrap(event, producer="owner", occurred_at=at) for event, at in history]
    replays = [  # the same fact again under a new event id (an owner's re-announcement)
        Envelope.wrap(event, producer="owner", occurred_at=at)
        for event, at in rng.sample(history, 30)
    ]
    deliveries = [(e, str(e.id)) for e in envelopes + replays]
    deliveries += [(e, f"{e.id}-again") for e in rng.sample(envelopes, 30)]  # past the dedupe
    rng.shuffle(deliveries)  # any order
    await search.publish_all(deliveries)
    await eventually(lambda: _claimed(search, len(envelopes) + len(replays)), within=60)
    from_events = await search.documents()

    await search.rebuild()

    assert len(from_events) == 12
    assert await search.documents() == from_events


async def _claimed(search, count: int) -> bool:
    return await search.claimed() >= count
