"""Booking, payments, packs and search side by side: the directory follows the owners' facts,
and a search whose database is new rebuilds the same directory from their snapshots after the
stream lost every event (what 7 days of retention do).

All four run in one namespace on real NATS JetStream and Postgres, each with its database.
"""

import asyncio
from datetime import UTC, datetime

from typer.testing import CliRunner

from booking.config import Settings as BookingSettings
from booking.main import ALEMBIC_INI as BOOKING_ALEMBIC_INI
from booking.main import create_app as create_booking
from mentorship import cli
from packs.config import Settings as PacksSettings
from packs.main import ALEMBIC_INI as PACKS_ALEMBIC_INI
from packs.main import create_app as create_packs
from payments.config import Settings as PaymentsSettings
from payments.main import ALEMBIC_INI as PAYMENTS_ALEMBIC_INI
from payments.main import create_app as create_payments
from search.config import Settings as SearchSettings
from search.main import ALEMBIC_INI as SEARCH_ALEMBIC_INI
from search.main import create_app as create_search
from shared.clock import FakeClock
from shared.testing.helpers import eventually
from shared.testing.plugin import auth_headers

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
ADMIN = auth_headers("root", "admin")
MENTOR = auth_headers("mentor-7", "mentor")
PROFILE = {
    "display_name": "Katherine Johnson",
    "title": "Orbital mechanics lead",
    "company": "NASA",
    "bio": "Trajectories, numerical methods and careers in aerospace.",
    "specialties": ["mathematics", "python"],
    "job_family": "data_science",
    "years_experience": 33,
    "timezone": "America/New_York",
    "weekly_hours": {"tue": [{"start": "09:00", "end": "12:00"}]},
}


async def card(search) -> dict | None:
    response = await search.client.get("/v1/mentors/search", params={"q": "katherin orbital"})
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    return items[0] if items else None


async def test_the_directory_follows_the_owners_and_a_new_search_rebuilds_it_from_snapshots(
    event_probe, start_service, purge_stream
):
    clock = FakeClock(NOW)
    kwargs = {"app_kwargs": {"clock": clock}}
    booking = await start_service(create_booking, BookingSettings, BOOKING_ALEMBIC_INI, **kwargs)
    payments = await start_service(
        create_payments, PaymentsSettings, PAYMENTS_ALEMBIC_INI, **kwargs
    )
    packs = await start_service(create_packs, PacksSettings, PACKS_ALEMBIC_INI, **kwargs)
    search = await start_service(create_search, SearchSettings, SEARCH_ALEMBIC_INI, **kwargs)

    saved = await booking.client.put("/v1/mentors/me", json=PROFILE, headers=MENTOR)
    assert saved.status_code == 200, saved.text
    for price in (15_000, 9_900):
        product = await payments.client.post(
            "/v1/products",
            json={"title": f"Four sessions {price}", "price_amount": price, "currency": "USD"},
            headers=MENTOR,
        )
        assert product.status_code == 201, product.text
    capacity = await packs.client.put(
        "/v1/mentors/mentor-7/capacity", json={"capacity": 3}, headers=MENTOR
    )
    assert capacity.status_code == 200, capacity.text

    async def complete() -> dict | None:
        found = await card(search)
        ready = found and found["price_amount"] == 9_900 and found["open_seats"] == 3
        return found if ready and found["next_available_at"] else None

    from_events = await eventually(complete, within=20.0)
    assert from_events["next_available_at"] == "2026-03-03T14:00:00Z"  # Tue 09:00 New York
    assert (from_events["currency"], from_events["experience_level"]) == ("USD", "staff")

    # Every event is gone from the stream; a search with a new, empty database starts.
    await purge_stream()
    fresh = await start_service(create_search, SearchSettings, SEARCH_ALEMBIC_INI, **kwargs)
    assert await card(fresh) is None

    rebuilt = await fresh.client.post("/v1/admin/rebuilds/directory", headers=ADMIN)

    assert rebuilt.status_code == 200, rebuilt.text
    assert (rebuilt.json()["mentors"], rebuilt.json()["products"]) == (1, 2)
    after = await card(fresh)
    assert {k: v for k, v in after.items() if k != "highlights"} == {
        k: v for k, v in from_events.items() if k != "highlights"
    }


async def test_mentorship_rebuild_search_rebuilds_a_running_search_over_http(
    event_probe, start_service, serve_over_http
):
    booking = await start_service(create_booking, BookingSettings, BOOKING_ALEMBIC_INI)
    await start_service(create_payments, PaymentsSettings, PAYMENTS_ALEMBIC_INI)
    await start_service(create_packs, PacksSettings, PACKS_ALEMBIC_INI)
    saved = await booking.client.put("/v1/mentors/me", json=PROFILE, headers=MENTOR)
    assert saved.status_code == 200, saved.text
    async with serve_over_http(create_search, SearchSettings, SEARCH_ALEMBIC_INI) as url:
        result = await asyncio.to_thread(
            CliRunner().invoke, cli.app, ["rebuild", "search", "--base-url", url]
        )
        assert result.exit_code == 0, result.output
        assert '"mentors": 1' in result.output and '"documents": 1' in result.output
