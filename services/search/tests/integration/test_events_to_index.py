"""The directory is kept from events alone, in any order, each fact in its own group."""

import asyncio
import uuid
from datetime import date, timedelta

from search.domain.stamp import Stamp
from search.service_layer.record_facts import record_fact
from shared.testing.helpers import eventually


async def test_a_mentor_is_found_by_name_part_of_a_word_and_specialty(search, facts):
    await search.publish(facts.profile("m1"))
    await search.publish(
        facts.profile(
            "m2",
            display_name="Grace Hopper",
            bio="Compilers and Navy stories.",
            specialties=["compilers"],
        )
    )
    await eventually(lambda: search.found(2))

    assert await search.ids(q="lovelace") == ["m1"]
    assert await search.ids(q="Lovel") == ["m1"]
    assert (await search.ids(q="engineer"))[0] == "m1"
    assert await search.ids(q="system design") == ["m1"]
    assert await search.ids(q="compilers") == ["m2"]
    nothing = await search.search(q="kubernetes")
    assert (nothing["total"], nothing["empty"], nothing["items"]) == (0, True, [])
    assert nothing["message"] == "No mentor matches this search."
    assert (await search.search(q="100%_"))["total"] == 0


async def test_every_field_group_reaches_the_document_whatever_arrives_first(search, facts):
    cheap, dear = uuid.uuid4(), uuid.uuid4()
    slot = facts.T0 + timedelta(days=1)
    before_profile = [
        await search.publish(facts.seats("m1", open_seats=0)),
        await search.publish(facts.review("m1", average=4.5, count=2)),
        await search.publish(facts.product("m1", price=20_000, product_id=dear)),
        await search.publish(facts.product("m1", price=9_000, product_id=cheap)),
        await search.publish(facts.availability("m1", next_at=slot, days=[date(2026, 3, 3)])),
    ]
    for envelope in before_profile:
        await eventually(lambda envelope=envelope: search.processed(envelope))
    assert (await search.search())["total"] == 0  # no profile yet: not listed

    await search.publish(facts.profile("m1"))
    [mentor] = (await eventually(lambda: search.found(1)))["items"]

    assert (mentor["open_seats"], mentor["accepting_students"]) == (0, False)
    assert (mentor["rating_avg"], mentor["rating_count"]) == (4.5, 2)
    assert (mentor["price_amount"], mentor["currency"]) == (9_000, "EUR")
    assert mentor["next_available_at"].startswith("2026-03-03T09:00")
    assert mentor["available_days"] == ["2026-03-03"]
    assert (mentor["experience_level"], mentor["job_family"]) == ("staff", "software_engineering")

    # The cheap product is withdrawn: the lowest active price is the other one.
    await search.publish(
        facts.product("m1", price=9_000, active=False, product_id=cheap),
        at=facts.T0 + timedelta(seconds=1),
    )
    await eventually(lambda: search.found(1, min_price=20_000))
    assert (await search.search(accepting_students="true"))["total"] == 0
    assert (await search.search(accepting_students="false"))["total"] == 1


async def test_an_older_fact_arriving_late_overwrites_nothing(search, facts):
    await search.publish(facts.profile("m1", display_name="New Name"), at=facts.T0)
    await search.publish(facts.seats("m1", open_seats=7), at=facts.T0)
    await search.publish(facts.review("m1", average=4.0, count=3), at=facts.T0)
    await eventually(lambda: search.found(1, q="New Name"))

    hour_ago = facts.T0 - timedelta(hours=1)
    late = [
        await search.publish(facts.profile("m1", display_name="Old Name"), at=hour_ago),
        await search.publish(
            facts.seats("m1", open_seats=0),
            at=hour_ago,
        ),
        await search.publish(facts.review("m1", average=5.0, count=2), at=hour_ago),
    ]
    for envelope in late:
        await eventually(lambda envelope=envelope: search.processed(envelope))

    [mentor] = (await search.search())["items"]
    assert (mentor["display_name"], mentor["open_seats"], mentor["accepting_students"]) == (
        "New Name",
        7,
        True,
    )
    assert (mentor["rating_avg"], mentor["rating_count"]) == (4.0, 3)


async def test_a_profile_update_replaces_the_old_words(search, facts):
    await search.publish(facts.profile("m1", title="Staff Engineer", bio="Careers."), at=facts.T0)
    await eventually(lambda: search.found(1, q="staff"))

    await search.publish(
        facts.profile("m1", title="Principal Engineer", bio="Careers."),
        at=facts.T0 + timedelta(minutes=1),
    )
    await eventually(lambda: search.found(1, q="principal"))

    assert (await search.search(q="staff"))["total"] == 0


async def test_concurrent_facts_of_one_mentor_leave_the_document_of_all_of_them(search, facts):
    await search.apply(facts.profile("m1"))
    prices = [50_000 - 1_000 * n for n in range(40)]

    await asyncio.gather(
        *(search.apply(facts.product("m1", price=price)) for price in prices),
        search.apply(facts.seats("m1", open_seats=4)),
        search.apply(facts.review("m1", average=4.2, count=9)),
    )

    [mentor] = (await search.search())["items"]
    assert mentor["price_amount"] == min(prices)
    assert (mentor["open_seats"], mentor["rating_count"]) == (4, 9)


async def test_facts_of_one_mentor_in_one_batch_keep_the_newest_whatever_their_order(search, facts):
    """A consumer's batch is written together at its commit: the newest fact of each group
    and of each product wins, as it does when they come one at a time."""
    newer = Stamp(facts.T0 + timedelta(minutes=1), uuid.uuid4())
    older = Stamp(facts.T0, uuid.uuid4())
    product_id = uuid.uuid4()
    batch = [
        (facts.profile("m1", display_name="New Name"), newer),
        (facts.profile("m1", display_name="Old Name"), older),
        (facts.product("m1", price=30_000, product_id=product_id), newer),
        (facts.product("m1", price=10_000, product_id=product_id), older),
        (facts.seats("m1", open_seats=2), older),
        (facts.seats("m1", open_seats=5), newer),
    ]
    async with search.runtime.uow() as uow:
        for event, stamp in batch:
            await record_fact(event, stamp=stamp, uow=uow, deps=search.deps)
        await uow.commit()

    [mentor] = (await search.search())["items"]
    assert (mentor["display_name"], mentor["price_amount"], mentor["open_seats"]) == (
        "New Name",
        30_000,
        5,
    )
