"""The video service is alive, ready, measured and documented; its schema is its migrations."""

from shared.testing.service_checks import (
    assert_alive_ready_measured_and_documented,
    assert_migrations_match_tables,
)
from video.adapters.tables import metadata


async def test_video_is_alive_ready_measured_and_documented(video):
    await assert_alive_ready_measured_and_documented(
        video.service,
        paths={
            "/v1/sessions/{session_id}",
            "/v1/sessions/{session_id}/token",
            "/v1/sessions/{session_id}/joins",
            "/v1/agora/events",
            "/v1/admin/rebuilds/sessions",
        },
        subjects={
            "session.booked",
            "session.rescheduled",
            "session.canceled",
            "session.completed",
            "session.no_show",
            "video.attendance",
        },
    )


async def test_the_migrated_schema_matches_the_declared_tables(video):
    await assert_migrations_match_tables(video.service, metadata)
