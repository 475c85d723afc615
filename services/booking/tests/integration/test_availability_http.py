"""GET availability: the mentor's hours in their zone as UTC and local slots, with limits."""

from datetime import timedelta

from booking.entrypoints.jobs import ANNOUNCE_AVAILABILITY
from booking.entrypoints.schemas import AvailabilityRead
from shared.messaging.events import MentorAvailabilityChanged

from ..conftest import MENTOR, PROFILE, START, berlin


async def test_availability_lists_working_hours_after_the_notice_in_utc_and_the_asked_zone(
    driver,
):
    await driver.publish_profile()

    response = await driver.availability(start=START, days=3, tz="America/New_York")

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["mentor_timezone"], body["timezone"], body["calendar_status"]) == (
        "Europe/Berlin",
        "America/New_York",
        "not_connected",
    )
    starts = [slot["starts_at"] for slot in body["slots"]]
    # Now is Monday 10:00 Berlin: a day's notice leaves Tuesday 10:00–17:00 (7 slots), all of
    # Wednesday (8) and Thursday 09:00, the last start before `to` (Thursday 10:00 Berlin).
    assert starts[0] == "2026-03-03T09:00:00Z"
    assert starts[-1] == "2026-03-05T08:00:00Z"
    assert len(starts) == 7 + 8 + 1
    first = body["slots"][0]
    assert first["local_starts_at"] == "2026-03-03T04:00:00-05:00"
    assert first["local_ends_at"] == "2026-03-03T05:00:00-05:00"
    # Built without a model per slot, the answer is still the documented model's bytes.
    assert response.headers["content-type"] == "application/json"
    documented = AvailabilityRead.model_validate_json(response.content)
    assert response.content == documented.model_dump_json().encode()


async def test_a_range_over_31_days_too_many_slots_or_an_unoffered_duration_are_problems(driver):
    await driver.publish_profile(session_durations=[5, 60], notice_minutes=0)

    too_long = await driver.availability(start=START, days=40)
    too_many = await driver.availability(start=START, days=14, duration=5)
    zero = await driver.availability(start=START, days=1, duration=0)
    unoffered = await driver.availability(start=START, days=1, duration=45)
    bad_zone = await driver.availability(start=START, days=1, tz="Mars/Base")
    unknown = await driver.availability(start=START, days=1, mentor="nobody")

    assert (too_long.status_code, too_long.json()["code"]) == (422, "INVALID_AVAILABILITY_RANGE")
    assert (too_many.status_code, too_many.json()["code"]) == (422, "TOO_MANY_SLOTS")
    assert (zero.status_code, zero.json()["code"]) == (422, "VALIDATION_FAILED")
    assert (unoffered.status_code, unoffered.json()["code"]) == (422, "DURATION_NOT_OFFERED")
    assert bad_zone.status_code == 422
    assert (unknown.status_code, unknown.json()["code"]) == (404, "MENTOR_NOT_FOUND")


async def test_a_date_override_and_buffers_shape_the_day(driver):
    await driver.publish_profile(
        date_overrides={"2026-03-04": [{"start": "14:00", "end": "16:00"}], "2026-03-05": []},
        buffer_before_minutes=30,
    )

    slots = await driver.slots(start=berlin("2026-03-04T00:00"), days=2)

    # Wednesday: only the override's hours; Thursday: a day off.
    assert slots == [berlin("2026-03-04T14:00"), berlin("2026-03-04T15:00")]


async def test_changing_the_schedule_announces_the_next_free_slot_and_free_days(
    driver, event_probe
):
    await driver.publish_profile()
    [first] = await event_probe.wait_for(MentorAvailabilityChanged)
    await driver.publish_profile(weekly_hours={"fri": [{"start": "09:00", "end": "10:00"}]})
    [_, second] = await event_probe.wait_for(MentorAvailabilityChanged, count=2)

    assert first.payload().next_available_at == berlin("2026-03-03T10:00")
    changed = second.payload()
    assert changed.next_available_at == berlin("2026-03-06T09:00")
    assert [d.isoformat() for d in changed.available_days][:2] == ["2026-03-06", "2026-03-13"]
    assert all(d.weekday() == 4 for d in changed.available_days)
    assert START + timedelta(days=30) > berlin(f"{changed.available_days[-1]}T09:00")


async def test_a_booking_is_announced_by_the_due_job_not_inside_the_booking(driver):
    await driver.publish_profile()
    driver.packs.grant("student-1", MENTOR)
    first_free = berlin("2026-03-03T10:00")
    await driver.booked("student-1", first_free)
    assert len(await driver.recorded(MentorAvailabilityChanged)) == 1  # the profile's only

    assert await driver.run_job(ANNOUNCE_AVAILABILITY) == 1

    announced = (await driver.recorded(MentorAvailabilityChanged))[-1]
    assert announced.next_available_at == berlin("2026-03-03T11:00")


async def test_bad_scheduling_settings_are_problems_that_change_nothing(driver):
    await driver.publish_profile()
    before = await driver.snapshot()
    mentor = driver.as_user(MENTOR, "mentor")
    cases = {
        "inverted": (
            {"weekly_hours": {"mon": [{"start": "17:00", "end": "09:00"}]}},
            "INVALID_SCHEDULE",
        ),
        "overlapping": (
            {
                "weekly_hours": {
                    "tue": [{"start": "09:00", "end": "12:00"}, {"start": "11:00", "end": "13:00"}]
                }
            },
            "INVALID_SCHEDULE",
        ),
        "override overlap": (
            {
                "date_overrides": {
                    "2026-03-04": [
                        {"start": "09:00", "end": "10:00"},
                        {"start": "09:30", "end": "11:00"},
                    ]
                }
            },
            "INVALID_SCHEDULE",
        ),
        "not HH:MM": (
            {"weekly_hours": {"mon": [{"start": "9am", "end": "17:00"}]}},
            "VALIDATION_FAILED",
        ),
        "unknown zone": ({"timezone": "Europe/Atlantis"}, "VALIDATION_FAILED"),
        "zero duration": ({"session_durations": [0]}, "VALIDATION_FAILED"),
        "no duration": ({"session_durations": []}, "VALIDATION_FAILED"),
        "unknown day": ({"weekly_hours": {"funday": []}}, "VALIDATION_FAILED"),
    }
    for name, (changes, code) in cases.items():
        response = await driver.client.put(
            "/v1/mentors/me", json={**PROFILE, **changes}, headers=mentor
        )
        assert (response.status_code, response.json()["code"]) == (422, code), name

    assert await driver.snapshot() == before


async def test_a_length_the_mentor_does_not_offer_is_a_problem_naming_the_offered_ones(driver):
    await driver.publish_profile(session_durations=[60, 30])

    fifteen = await driver.availability(start=START, days=7, duration=15)
    booked = await driver.book("student-1", START + timedelta(days=1), duration=15)
    documented = (await driver.client.get("/openapi.json")).json()
    answers = documented["paths"]["/v1/mentors/{mentor_id}/availability"]["get"]["responses"]

    assert fifteen.status_code == 422  # never 200 with an empty list
    assert fifteen.headers["content-type"] == "application/problem+json"
    assert fifteen.json()["code"] == "DURATION_NOT_OFFERED"
    assert fifteen.json()["offered_durations"] == [30, 60]
    assert booked.json()["offered_durations"] == [30, 60]
    assert "DURATION_NOT_OFFERED" in answers["422"]["description"]
    assert answers["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/AvailabilityRead"
    }
