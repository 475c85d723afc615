"""The mentor directory: kept from events in any order, searched by words and filters."""

import uuid
from datetime import UTC, datetime, timedelta

from shared.messaging.events import (
    Envelope,
    MentorCapacityChanged,
    MentorUpdated,
    ReviewSubmitted,
)
from shared.testing.events import publish_raw
from shared.testing.helpers import eventually

from .conftest import processed

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def profile(mentor_id: str, **fields) -> MentorUpdated:
    defaults = dict(
        display_name="Ada Lovelace",
        title="Staff Engineer",
        company="Analytical Engines",
        bio="I help engineers grow into staff roles.",
        specialties=["system design"],
        job_family="software_engineering",
        years_experience=14,
        timezone="Europe/London",
        accepting_students=True,
    )
    return MentorUpdated(mentor_id=mentor_id, **{**defaults, **fields})


async def publish(nats_url, namespace, event, *, at=T0, msg_id=None) -> Envelope:
    envelope = Envelope.wrap(event, producer="test", occurred_at=at)
    await publish_raw(nats_url, namespace, envelope, msg_id=msg_id)
    return envelope


async def search(service, **params) -> dict:
    response = await service.client.get("/v1/mentors/search", params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def found(service, count: int, **params) -> dict | None:
    result = await search(service, **params)
    return result if result["total"] >= count else None


async def test_a_mentor_is_found_by_name_words_part_of_a_word_and_specialty(
    search_service, nats_url, namespace
):
    await publish(nats_url, namespace, profile("m1"))
    await publish(
        nats_url,
        namespace,
        profile(
            "m2",
            display_name="Grace Hopper",
            bio="Compilers and Navy stories.",
            specialties=["compilers"],
        ),
    )
    await eventually(lambda: found(search_service, 2))

    assert [m["mentor_id"] for m in (await search(search_service, q="lovelace"))["items"]] == ["m1"]
    assert (await search(search_service, q="Lovel"))["total"] == 1
    assert (await search(search_service, q="engineer"))["items"][0]["mentor_id"] == "m1"
    assert (await search(search_service, q="system design"))["total"] == 1
    assert (await search(search_service, q="compilers"))["items"][0]["mentor_id"] == "m2"
    assert (await search(search_service, q="kubernetes"))["total"] == 0
    assert (await search(search_service, q="100%_"))["total"] == 0


async def test_the_directory_filters_by_job_family_and_pages_with_a_total(
    search_service, nats_url, namespace
):
    for n in range(3):
        await publish(nats_url, namespace, profile(f"eng{n}", display_name=f"Engineer {n}"))
    await publish(
        nats_url,
        namespace,
        profile("pm", display_name="Product Person", job_family="product_management"),
    )
    await eventually(lambda: found(search_service, 4))

    first = await search(search_service, job_family="software_engineering", limit=2)
    rest = await search(search_service, job_family="software_engineering", limit=2, offset=2)
    pm = await search(search_service, job_family="Product_Management")

    assert (first["total"], len(first["items"]), len(rest["items"])) == (3, 2, 1)
    assert {m["mentor_id"] for m in first["items"] + rest["items"]} == {"eng0", "eng1", "eng2"}
    assert [m["mentor_id"] for m in pm["items"]] == ["pm"]


async def test_capacity_and_ratings_that_arrive_before_the_profile_are_kept(
    search_service, nats_url, namespace
):
    full = MentorCapacityChanged(mentor_id="m1", capacity=10, live_seats=10, open_seats=0)
    review = ReviewSubmitted(
        review_id=uuid.uuid4(),
        session_id=uuid.uuid4(),
        mentor_id="m1",
        student_id="s1",
        rating=5,
        average_rating=4.5,
        review_count=2,
    )
    capacity_envelope = await publish(nats_url, namespace, full)
    review_envelope = await publish(nats_url, namespace, review)
    await eventually(lambda: processed(search_service, capacity_envelope.id))
    await eventually(lambda: processed(search_service, review_envelope.id))
    assert (await search(search_service))["total"] == 0  # no profile yet: not listed

    await publish(nats_url, namespace, profile("m1"))
    [mentor] = (await eventually(lambda: found(search_service, 1)))["items"]

    assert (mentor["open_seats"], mentor["accepting"]) == (0, False)
    assert (mentor["rating_avg"], mentor["rating_count"]) == (4.5, 2)
    assert (await search(search_service, accepting="true"))["total"] == 0
    assert (await search(search_service, accepting="false"))["total"] == 1


async def test_an_older_event_arriving_late_does_not_overwrite_a_newer_one(
    search_service, nats_url, namespace
):
    await publish(nats_url, namespace, profile("m1", display_name="New Name"), at=T0)
    await publish(
        nats_url,
        namespace,
        MentorCapacityChanged(mentor_id="m1", capacity=10, live_seats=3, open_seats=7),
        at=T0,
    )
    await eventually(lambda: found(search_service, 1, q="New Name"))

    late = [
        await publish(
            nats_url, namespace, profile("m1", display_name="Old Name"), at=T0 - timedelta(hours=1)
        ),
        await publish(
            nats_url,
            namespace,
            MentorCapacityChanged(mentor_id="m1", capacity=10, live_seats=10, open_seats=0),
            at=T0 - timedelta(hours=1),
        ),
    ]
    for envelope in late:
        await eventually(lambda envelope=envelope: processed(search_service, envelope.id))

    [mentor] = (await search(search_service))["items"]
    assert (mentor["display_name"], mentor["open_seats"], mentor["accepting"]) == (
        "New Name",
        7,
        True,
    )


async def test_a_profile_update_replaces_the_old_words(search_service, nats_url, namespace):
    await publish(nats_url, namespace, profile("m1", title="Staff Engineer"), at=T0)
    await eventually(lambda: found(search_service, 1, q="staff"))

    await publish(
        nats_url, namespace, profile("m1", title="Principal Engineer"), at=T0 + timedelta(minutes=1)
    )
    await eventually(lambda: found(search_service, 1, q="principal"))

    assert (await search(search_service, q="principal"))["items"][0]["title"] == (
        "Principal Engineer"
    )


async def test_bad_search_parameters_are_422_problems(search_service):
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}, {"accepting": "maybe"}):
        response = await search_service.client.get("/v1/mentors/search", params=params)
        assert response.status_code == 422, params
        assert response.json()["code"] == "VALIDATION_FAILED"
