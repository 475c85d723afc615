"""Booking runs as a service: health, readiness, metrics, docs, schema."""

from booking.adapters.tables import metadata
from shared.testing.service_checks import (
    assert_alive_ready_measured_and_documented,
    assert_migrations_match_tables,
)


async def test_booking_is_alive_ready_measured_and_documented(booking):
    await assert_alive_ready_measured_and_documented(
        booking, paths={"/v1/mentors/me", "/v1/mentors/{mentor_id}", "/v1/students/me/packs"}
    )


async def test_the_migrations_create_exactly_the_tables_the_code_uses(booking):
    await assert_migrations_match_tables(booking, metadata)
