"""Booking runs as a service: health, readiness, metrics, docs, schema."""

from booking.adapters.tables import metadata
from shared.testing.helpers import schema_differences


async def test_booking_is_alive_ready_measured_and_documented(booking):
    ready = await booking.client.get("/readyz")
    assert (await booking.client.get("/healthz")).status_code == 200
    assert ready.status_code == 200
    assert set(ready.json()["checks"].values()) == {"ok"}
    assert (await booking.client.get("/metrics")).status_code == 200
    paths = (await booking.client.get("/openapi.json")).json()["paths"]
    assert {"/v1/mentors/me", "/v1/mentors/{mentor_id}", "/v1/students/me/packs"} <= set(paths)


async def test_the_migrations_create_exactly_the_tables_the_code_uses(booking):
    assert await schema_differences(booking.database_url, metadata) == []
