"""The backbone end to end: a real event crosses two services, once in effect.

Booking and search run side by side in one namespace, on real NATS JetStream and Postgres,
as separate apps with their own databases. And every service boots ready.
"""

import importlib
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from booking.config import Settings as BookingSettings
from booking.main import ALEMBIC_INI as BOOKING_ALEMBIC_INI
from booking.main import create_app as create_booking
from search.adapters.tables import mentor_facts as mentor_directory
from search.config import Settings as SearchSettings
from search.main import ALEMBIC_INI as SEARCH_ALEMBIC_INI
from search.main import create_app as create_search
from shared.clock import FakeClock
from shared.messaging.events import MentorUpdated
from shared.testing.events import publish_raw
from shared.testing.helpers import eventually
from shared.testing.plugin import auth_headers

SERVICES = ["payments", "packs", "booking", "notifications", "video", "search"]
MENTOR = auth_headers("mentor-42", "mentor")
PROFILE = {
    "display_name": "Grace Hopper",
    "title": "Rear Admiral",
    "company": "US Navy",
    "bio": "Compilers, debugging and telling it like it is.",
    "specialties": ["compilers", "leadership"],
    "job_family": "software_engineering",
    "years_experience": 40,
    "timezone": "America/New_York",
}


async def found_in_search(search, q: str) -> list[dict]:
    response = await search.client.get("/v1/mentors/search", params={"q": q})
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def duplicates_seen(search, consumer: str) -> float:
    """The search process's count of deliveries its inbox recognised as duplicates."""
    text = (await search.client.get("/metrics")).text
    pattern = rf'events_consumed_total{{consumer="{consumer}",outcome="duplicate"}} (\S+)'
    match = re.search(pattern, text)
    return float(match.group(1)) if match else 0.0


async def directory_row(search, mentor_id: str) -> dict:
    async with search.runtime.connection_factory() as session:
        row = await session.execute(
            select(mentor_directory).where(mentor_directory.c.mentor_id == mentor_id)
        )
        return dict(row.one()._mapping)


async def test_a_mentor_profile_saved_in_booking_is_found_in_search_once(
    event_probe, start_service, nats_url, namespace
):
    search_clock = FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    booking = await start_service(create_booking, BookingSettings, BOOKING_ALEMBIC_INI)
    search = await start_service(
        create_search, SearchSettings, SEARCH_ALEMBIC_INI, app_kwargs={"clock": search_clock}
    )

    saved = await booking.client.put("/v1/mentors/me", json=PROFILE, headers=MENTOR)
    assert saved.status_code == 200, saved.text
    [hit] = await eventually(lambda: found_in_search(search, "grace compilers"))

    assert hit["mentor_id"] == "mentor-42"
    assert (hit["title"], hit["timezone"], hit["accepting_students"]) == (
        "Rear Admiral",
        "America/New_York",
        True,
    )

    # The same mentor.updated delivered again (past the stream's dedupe window): no effect.
    [published] = event_probe.of_type(MentorUpdated)
    before = await directory_row(search, "mentor-42")
    duplicates = await duplicates_seen(search, "search-mentor-updated")
    search_clock.advance(timedelta(hours=1))  # a second effect would restamp `updated_at`
    await publish_raw(nats_url, namespace, published, msg_id=f"{published.id}-again")

    async def recognised_as_duplicate() -> bool:
        return await duplicates_seen(search, "search-mentor-updated") > duplicates

    await eventually(recognised_as_duplicate)
    assert await directory_row(search, "mentor-42") == before
    assert len(await found_in_search(search, "grace")) == 1


@pytest.mark.parametrize("name", SERVICES)
async def test_every_service_boots_migrated_and_ready(name, event_probe, start_service):
    main = importlib.import_module(f"{name}.main")
    settings = importlib.import_module(f"{name}.config").Settings
    service = await start_service(main.create_app, settings, main.ALEMBIC_INI)

    ready = await service.client.get("/readyz")
    health = await service.client.get("/healthz")
    docs = await service.client.get("/openapi.json")

    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"] and set(ready.json()["checks"].values()) == {"ok"}
    assert health.json()["service"] == name
    assert docs.status_code == 200
    assert any(path.startswith("/v1/") for path in docs.json()["paths"])
