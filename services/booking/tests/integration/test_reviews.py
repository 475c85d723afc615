"""Reviews: once per completed session by its student; newest first; the average on the profile."""

from datetime import timedelta

from shared.messaging.events import ReviewSubmitted

from ..conftest import MENTOR, berlin

WED_10 = berlin("2026-03-04T10:00")


async def completed_session(driver, student: str, starts_at=WED_10) -> str:
    driver.packs.grant(student, MENTOR)
    session = (await driver.booked(student, starts_at))["session_id"]
    driver.clock.set(starts_at + timedelta(hours=1))
    done = await driver.client.patch(
        f"/v1/instructor/sessions/{session}",
        json={"status": "completed"},
        headers=driver.as_user(MENTOR, "mentor"),
    )
    assert done.status_code == 200, done.text
    return session


async def review(driver, session: str, student: str, rating: int, comment: str = "Great"):
    return await driver.client.post(
        f"/v1/sessions/{session}/review",
        json={"rating": rating, "comment": comment},
        headers=driver.as_user(student, "student"),
    )


async def test_students_review_completed_sessions_and_the_profile_shows_the_average(driver):
    await driver.publish_profile()
    first = await completed_session(driver, "student-1")
    driver.clock.set(berlin("2026-03-02T10:00"))
    second = await completed_session(driver, "student-2", berlin("2026-03-04T14:00"))

    one = await review(driver, first, "student-1", 5, "Clear and kind")
    two = await review(driver, second, "student-2", 4)

    assert (one.status_code, two.status_code) == (201, 201)
    assert two.json()["average_rating"] == 4.5 and two.json()["review_count"] == 2
    profile = (await driver.client.get(f"/v1/mentors/{MENTOR}")).json()
    assert (profile["average_rating"], profile["review_count"]) == (4.5, 2)
    page = (await driver.client.get(f"/v1/mentors/{MENTOR}/reviews", params={"limit": 1})).json()
    assert (page["total"], len(page["items"]), page["average_rating"]) == (2, 1, 4.5)
    events = await driver.recorded(ReviewSubmitted)
    assert [(e.rating, e.average_rating, e.review_count) for e in events] == [
        (5, 5.0, 1),
        (4, 4.5, 2),
    ]


async def test_a_second_review_another_students_review_or_an_unheld_session_are_refused(driver):
    await driver.publish_profile()
    session = await completed_session(driver, "student-1")
    await review(driver, session, "student-1", 5)
    driver.packs.grant("student-2", MENTOR)
    upcoming = (await driver.booked("student-2", berlin("2026-03-06T10:00")))["session_id"]
    before = await driver.snapshot()

    twice = await review(driver, session, "student-1", 1)
    stranger = await review(driver, session, "student-2", 1)
    not_held = await review(driver, upcoming, "student-2", 3)
    zero = await review(driver, upcoming, "student-2", 0)

    assert (twice.status_code, twice.json()["code"]) == (409, "ALREADY_REVIEWED")
    assert (stranger.status_code, stranger.json()["code"]) == (403, "NOT_YOUR_SESSION")
    assert (not_held.status_code, not_held.json()["code"]) == (409, "REVIEW_NOT_ALLOWED")
    assert zero.status_code == 422
    assert await driver.snapshot() == before
