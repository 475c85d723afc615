"""The private calendar feed on real Postgres: a secret URL that always shows the person's
sessions as they are now, polled cheaply, rotated and revoked."""

from icalendar import Calendar

from ..conftest import MENTOR, berlin

WED_10 = berlin("2026-03-04T10:00")
THU_15 = berlin("2026-03-05T15:00")
FRI_11 = berlin("2026-03-06T11:00")
PROBLEM = "application/problem+json"


async def open_feed(driver, user: str, role: str) -> dict:
    response = await driver.client.post("/v1/me/calendar-feed", headers=driver.as_user(user, role))
    assert response.status_code == 201, response.text
    return response.json()


def path_of(url: str) -> str:
    return url.split("/api/booking", 1)[1]


async def fetch(driver, url: str, **headers):
    return await driver.client.get(path_of(url), headers=headers)  # no Authorization header


def events(response) -> dict[str, object]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    return {str(e["UID"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}


async def test_the_feed_shows_every_change_at_the_next_fetch_and_polls_cheaply(driver):
    await driver.publish_profile()
    driver.packs.grant("student-1", MENTOR)
    driver.packs.grant("student-2", MENTOR)
    feed = await open_feed(driver, "student-1", "student")
    mentor_feed = await open_feed(driver, MENTOR, "mentor")
    assert feed["url"].startswith("http://127.0.0.1:8100/api/booking/v1/calendar-feeds/")
    assert await driver.count("SELECT count(*) FROM calendar_feeds") == 2
    token = feed["url"].rsplit("/", 1)[1].removesuffix(".ics")
    assert await driver.count(
        "SELECT count(*) FROM calendar_feeds WHERE token_hash = encode(sha256(:t), 'hex')",
        t=token.encode(),
    ) == 1  # fmt: skip

    empty = await fetch(driver, feed["url"])
    assert events(empty) == {}
    session = (await driver.booked("student-1", WED_10))["session_id"]
    other = (await driver.booked("student-2", FRI_11))["session_id"]
    uid = f"session-{session}@mentorship"

    booked = await fetch(driver, feed["url"])
    assert list(events(booked)) == [uid]
    assert events(booked)[uid].decoded("DTSTART") == WED_10
    assert booked.headers["cache-control"] == "private, max-age=300"
    assert booked.headers["etag"] != empty.headers["etag"] and booked.headers["last-modified"]
    unchanged = await fetch(driver, feed["url"], **{"If-None-Match": booked.headers["etag"]})
    assert (unchanged.status_code, unchanged.content) == (304, b"")
    assert unchanged.headers["etag"] == booked.headers["etag"]

    student = driver.as_user("student-1", "student")
    moved = await driver.client.post(
        f"/v1/sessions/{session}/reschedule",
        json={"starts_at": THU_15.isoformat()},
        headers=student,
    )
    assert moved.status_code == 200, moved.text
    rescheduled = await fetch(driver, feed["url"], **{"If-None-Match": booked.headers["etag"]})
    event = events(rescheduled)[uid]
    assert (event.decoded("DTSTART"), event["SEQUENCE"], event["STATUS"]) == (
        THU_15,
        1,
        "CONFIRMED",
    )

    canceled = await driver.client.post(f"/v1/sessions/{session}/cancel", json={}, headers=student)
    assert canceled.status_code == 200, canceled.text
    event = events(await fetch(driver, feed["url"]))[uid]
    assert (event["SEQUENCE"], event["STATUS"]) == (2, "CANCELLED")

    mentors = events(await fetch(driver, mentor_feed["url"]))
    assert set(mentors) == {uid, f"session-{other}@mentorship"}


async def test_rotating_or_revoking_a_feed_turns_its_old_url_into_a_404_problem(driver):
    first = await open_feed(driver, "student-1", "student")
    second = await open_feed(driver, "student-1", "student")

    assert second["url"] != first["url"]
    assert (await fetch(driver, second["url"])).status_code == 200
    gone = await fetch(driver, first["url"])
    assert (gone.status_code, gone.headers["content-type"]) == (404, PROBLEM)
    assert gone.json()["code"] == "CALENDAR_FEED_NOT_FOUND"

    student = driver.as_user("student-1", "student")
    revoked = await driver.client.delete("/v1/me/calendar-feed", headers=student)
    again = await driver.client.delete("/v1/me/calendar-feed", headers=student)

    assert (revoked.status_code, again.status_code) == (204, 204)
    answer = await fetch(driver, second["url"])
    assert (answer.status_code, answer.json()["code"]) == (404, "CALENDAR_FEED_NOT_FOUND")
    assert await driver.count("SELECT count(*) FROM calendar_feeds") == 0


async def test_a_made_up_token_is_not_found_and_only_students_and_mentors_open_feeds(driver):
    for path in ("/v1/calendar-feeds/" + "a" * 43 + ".ics", "/v1/calendar-feeds/x.ics"):
        answer = await driver.client.get(path)
        assert (answer.status_code, answer.json()["code"]) == (404, "CALENDAR_FEED_NOT_FOUND")
    anonymous = await driver.client.post("/v1/me/calendar-feed")
    admin = await driver.client.post("/v1/me/calendar-feed", headers=driver.as_user("op", "admin"))
    assert (anonymous.status_code, admin.status_code) == (401, 403)


async def test_the_openapi_documents_the_feed_as_text_calendar_and_its_404_problem(driver):
    operation = (await driver.client.get("/openapi.json")).json()["paths"][
        "/v1/calendar-feeds/{token}.ics"
    ]["get"]
    assert "text/calendar" in operation["responses"]["200"]["content"]
    assert "CALENDAR_FEED_NOT_FOUND" in operation["responses"]["404"]["description"]
    assert "application/problem+json" in operation["responses"]["404"]["content"]
    assert "304" in operation["responses"] and not operation.get("security")
