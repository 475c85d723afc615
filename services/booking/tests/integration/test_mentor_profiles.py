"""Mentor profiles: a mentor says who they are; everyone can read it; search hears of it."""

import asyncio

from shared.messaging.events import MentorUpdated
from shared.testing.plugin import auth_headers

MENTOR = auth_headers("mentor-1", "mentor")
STUDENT = auth_headers("student-1", "student")

PROFILE = {
    "display_name": "Ada Lovelace",
    "title": "Staff Engineer",
    "company": "Analytical Engines",
    "bio": "I help engineers grow into staff roles.",
    "specialties": ["system design", "career growth", "system design"],
    "job_family": "software_engineering",
    "years_experience": 14,
    "timezone": "Europe/London",
    "accepting_students": True,
}


async def put_profile(client, headers=MENTOR, **changes):
    return await client.put("/v1/mentors/me", json={**PROFILE, **changes}, headers=headers)


async def test_a_mentor_publishes_a_profile_that_anyone_can_read_and_search_hears_of(
    booking, event_probe
):
    response = await put_profile(booking.client)

    assert response.status_code == 200, response.text
    assert response.json()["specialties"] == ["system design", "career growth"]
    public = await booking.client.get("/v1/mentors/mentor-1")
    own = await booking.client.get("/v1/mentors/me", headers=MENTOR)
    assert public.status_code == own.status_code == 200
    assert public.json()["display_name"] == own.json()["display_name"] == "Ada Lovelace"
    [announced] = await event_probe.wait_for(MentorUpdated)
    event = announced.payload()
    assert (event.mentor_id, event.timezone, event.years_experience) == (
        "mentor-1",
        "Europe/London",
        14,
    )
    assert event.specialties == ["system design", "career growth"]
    assert announced.producer == "booking"


async def test_saving_an_unchanged_profile_announces_nothing_and_a_change_announces_it(
    booking, event_probe
):
    await put_profile(booking.client)
    await event_probe.wait_for(MentorUpdated)

    same = await put_profile(booking.client)
    await asyncio.sleep(0.7)
    assert same.status_code == 200
    assert len(event_probe.of_type(MentorUpdated)) == 1

    changed = await put_profile(booking.client, accepting_students=False, timezone="Asia/Kolkata")
    assert changed.status_code == 200
    events = await event_probe.wait_for(MentorUpdated, count=2)
    assert (events[1].payload().accepting_students, events[1].payload().timezone) == (
        False,
        "Asia/Kolkata",
    )


async def test_a_profile_needs_a_real_iana_time_zone_and_sane_values(booking):
    for changes in (
        {"timezone": "Mars/Olympus_Mons"},
        {"timezone": "GMT+5:30"},
        {"timezone": ""},
        {"years_experience": -1},
        {"display_name": "  "},
        {"specialties": [""]},
    ):
        response = await put_profile(booking.client, **changes)
        assert response.status_code == 422, changes
        assert response.json()["code"] == "VALIDATION_FAILED"
    missing_zone = {k: v for k, v in PROFILE.items() if k != "timezone"}
    response = await booking.client.put("/v1/mentors/me", json=missing_zone, headers=MENTOR)
    assert response.status_code == 422


async def test_an_unknown_mentor_is_a_404_problem(booking):
    public = await booking.client.get("/v1/mentors/nobody")
    own = await booking.client.get("/v1/mentors/me", headers=MENTOR)

    assert public.status_code == own.status_code == 404
    assert public.json()["code"] == own.json()["code"] == "MENTOR_NOT_FOUND"


async def test_only_a_mentor_can_publish_a_mentor_profile(booking):
    anonymous = await put_profile(booking.client, headers={})
    student = await put_profile(booking.client, headers=STUDENT)

    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "UNAUTHORIZED"
    assert student.status_code == 403
    assert student.json()["code"] == "FORBIDDEN"
    assert (await booking.client.get("/v1/mentors/student-1")).status_code == 404
