"""Google Calendar at its HTTP boundary (googleapiclient's HttpMockSequence): connect with a
signed state, a refresh token encrypted at rest, free/busy in availability, an event per
session with an id derived from it; an unreachable calendar offers nothing and says so."""

import json
import uuid
from urllib.parse import parse_qs, urlparse

import pytest
from cryptography.fernet import Fernet
from googleapiclient.http import HttpMockSequence

from booking.adapters.google.calendar import event_id
from booking.config import Settings
from booking.main import ALEMBIC_INI, create_app
from shared.messaging.events import SessionBooked
from shared.testing.helpers import eventually

from ..conftest import MENTOR, BookingDriver, berlin

KEY = Fernet.generate_key().decode()
TOKEN = ({"status": "200"}, json.dumps({"access_token": "at-1", "expires_in": 3600}))


def free_busy(*busy: tuple[str, str]) -> tuple[dict, str]:
    body = {"calendars": {"primary": {"busy": [{"start": a, "end": b} for a, b in busy]}}}
    return {"status": "200"}, json.dumps(body)


@pytest.fixture
def google() -> HttpMockSequence:
    return HttpMockSequence([])


@pytest.fixture
async def driver(event_probe, start_service, clock, fake_packs, google) -> BookingDriver:
    service = await start_service(
        create_app,
        Settings,
        ALEMBIC_INI,
        app_kwargs={"clock": clock, "google_http": lambda: google},
        google_client_id="client-1",
        google_client_secret="client-secret-1",
        google_redirect_uri="http://127.0.0.1:8103/v1/mentors/google/callback",
        calendar_token_key=KEY,
    )
    return BookingDriver(service, clock, fake_packs)


async def connect(driver: BookingDriver, google: HttpMockSequence) -> dict:
    mentor = driver.as_user(MENTOR, "mentor")
    url = (await driver.client.get("/v1/mentors/me/google/connect", headers=mentor)).json()["url"]
    state = parse_qs(urlparse(url).query)["state"][0]
    google._iterable.append(({"status": "200"}, json.dumps({"refresh_token": "rt-secret"})))
    response = await driver.client.get(
        "/v1/mentors/google/callback", params={"code": "auth-code", "state": state}
    )
    assert response.status_code == 200, response.text
    return parse_qs(urlparse(url).query)


async def test_connecting_asks_for_offline_calendar_access_and_stores_the_token_encrypted(
    driver, google
):
    await driver.publish_profile()

    query = await connect(driver, google)

    assert query["access_type"] == ["offline"]
    assert set(query["scope"][0].split()) == {
        "https://www.googleapis.com/auth/calendar.freebusy",
        "https://www.googleapis.com/auth/calendar.events",
    }
    token_uri, method, body, _ = google.request_sequence[-1]
    assert (token_uri, method) == ("https://oauth2.googleapis.com/token", "POST")
    assert "code=auth-code" in body and "grant_type=authorization_code" in body
    stored = await driver.count("SELECT encrypted_refresh_token FROM calendar_connections")
    assert "rt-secret" not in stored
    assert Fernet(KEY.encode()).decrypt(stored.encode()) == b"rt-secret"


async def test_a_forged_state_connects_nobody(driver, google):
    response = await driver.client.get(
        "/v1/mentors/google/callback", params={"code": "c", "state": "not-a-state"}
    )

    assert (response.status_code, response.json()["code"]) == (422, "CALENDAR_CONNECT_FAILED")
    assert google.request_sequence == []
    assert await driver.count("SELECT count(*) FROM calendar_connections") == 0


async def test_busy_time_and_all_day_events_remove_slots_and_the_answer_is_cached(driver, google):
    await driver.publish_profile()
    await connect(driver, google)
    google._iterable += [
        TOKEN,
        free_busy(
            ("2026-03-04T10:30:00Z", "2026-03-04T11:15:00Z"),  # 11:30–12:15 in Berlin
            ("2026-03-04T23:00:00Z", "2026-03-05T23:00:00Z"),  # all of Thursday in Berlin
        ),
    ]
    start = berlin("2026-03-04T00:00")

    first = await driver.availability(start=start, days=2)
    again = await driver.availability(start=start, days=2)

    assert first.json()["calendar_status"] == "ok"
    slots = [s["starts_at"] for s in first.json()["slots"]]
    assert "2026-03-04T10:00:00Z" not in slots and "2026-03-04T11:00:00Z" not in slots
    assert "2026-03-04T09:00:00Z" in slots and "2026-03-04T12:00:00Z" in slots
    assert not [s for s in slots if s.startswith("2026-03-05")]
    assert again.json() == first.json()  # from the cache: no third Google call was queued


async def test_an_unreachable_calendar_offers_nothing_and_booking_waits(driver, google):
    await driver.publish_profile()
    await connect(driver, google)
    driver.packs.grant("student-1", MENTOR)
    google._iterable += [TOKEN, ({"status": "503"}, "busy"), ({"status": "503"}, "busy")]

    answer = await driver.availability(start=berlin("2026-03-04T00:00"), days=1)
    booking = await driver.book("student-1", berlin("2026-03-04T10:00"))

    assert answer.json()["calendar_status"] == "unavailable"
    assert answer.json()["slots"] == []
    assert (booking.status_code, booking.json()["code"]) == (503, "CALENDAR_UNAVAILABLE")
    assert driver.packs.reserve_calls == 0


async def test_a_booked_session_gets_one_calendar_event_with_an_id_derived_from_it(
    driver, google, event_probe
):
    await driver.publish_profile()
    await connect(driver, google)
    driver.packs.grant("student-1", MENTOR)
    google._iterable += [TOKEN, free_busy(), ({"status": "200"}, json.dumps({"id": "x"}))]

    session = await driver.booked("student-1", berlin("2026-03-04T10:00"))
    await event_probe.wait_for(SessionBooked)

    def inserted():
        return [r for r in google.request_sequence if r[1] == "POST" and "/events" in r[0]]

    [(uri, _, body, _)] = await eventually(lambda: _async(inserted()))
    sent = json.loads(body)
    assert sent["id"] == event_id(uuid.UUID(session["session_id"]))
    assert set(sent["id"]) <= set("0123456789abcdefghijklmnopqrstuv") and len(sent["id"]) == 26
    assert sent["start"] == {"dateTime": "2026-03-04T09:00:00+00:00", "timeZone": "Europe/Berlin"}


async def _async(value):
    return value
