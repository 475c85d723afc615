"""A private calendar feed through the real gateway (issue 21, item 7): a student opens a
secret URL, a calendar client fetches it with no token, every booking change shows at the next
fetch with the UID the confirmation mail's .ics carries, and rotation or revocation turns the
old URL into a 404 problem."""

import asyncio
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from icalendar import Calendar

from mentorship.journey.actions import book, first_slot, open_slots, wait_for_mail
from mentorship.journey.cast import Cast, Journey
from mentorship.journey.harness import behind_gateway
from mentorship.journey.steps import STEPS
from mentorship.journey.suite import Suite
from mentorship.services import SERVICES, repo_root
from shared.auth_dev import DEV_JWT_SECRET

pytestmark = pytest.mark.timeout(600)
PROBLEM = "application/problem+json"


class CalendarApp(httpx.Client):
    """What Outlook or Apple Calendar sends: no token; a 429 waits its Retry-After, once
    more a few times (the feed shares the anonymous per-address limit of 10 a second)."""

    def get(self, url: httpx.URL | str, **kwargs: Any) -> httpx.Response:  # type: ignore[override]
        for _ in range(5):
            answer = super().get(url, **kwargs)
            if answer.status_code != 429:
                break
            time.sleep(float(answer.headers.get("Retry-After", "1")))
        return answer


def events(answer: httpx.Response) -> dict[str, object]:
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/calendar")
    return {str(e["UID"]): e for e in Calendar.from_ical(answer.content).walk("VEVENT")}


def feed_walk(base_url: str) -> None:
    suite = Suite(base_url, DEV_JWT_SECRET)
    j = Journey(suite=suite, cast=Cast.fresh())
    calendar_client = CalendarApp(timeout=15.0)
    try:
        for step in STEPS[:3]:  # the mentor, the checkouts, A's pack
            step.run(j)
        a, mentor = j.cast.a, j.cast.mentor
        feed = suite.call("booking", "POST", "/v1/me/calendar-feed", expect=201, as_=a)
        mentor_feed = suite.call("booking", "POST", "/v1/me/calendar-feed", expect=201, as_=mentor)
        assert feed["url"].startswith(f"{base_url}/api/booking/v1/calendar-feeds/")
        assert feed["webcal_url"].startswith("webcal://")
        assert events(calendar_client.get(feed["url"])) == {}

        session = book(j, a, first_slot(j, viewer=a, after=timedelta(days=2)), "Feed practice")
        mail = wait_for_mail(j, a, "Session booked")
        invite = next(x for x in mail["attachments"] if x["content_type"] == "text/calendar")
        uid = str(next(iter(Calendar.from_ical(invite["content"]).walk("VEVENT")))["UID"])
        booked = calendar_client.get(feed["url"])
        assert list(events(booked)) == [uid]  # the mail's event and the feed's are one event
        assert events(booked)[uid].decoded("DTSTART") == datetime.fromisoformat(
            session["starts_at"]
        )
        assert uid in events(calendar_client.get(mentor_feed["url"]))
        etag = booked.headers["etag"]
        assert calendar_client.get(feed["url"], headers={"If-None-Match": etag}).status_code == 304

        starts = datetime.fromisoformat(session["starts_at"])
        later = [
            s
            for s in open_slots(j, starts + timedelta(hours=2), starts + timedelta(days=2))
            if s["starts_at"] != session["starts_at"]
        ]
        path = f"/v1/sessions/{session['session_id']}"
        suite.call("booking", "POST", f"{path}/reschedule", as_=a,
                   json={"starts_at": later[0]["starts_at"]})  # fmt: skip
        moved = events(calendar_client.get(feed["url"], headers={"If-None-Match": etag}))[uid]
        assert moved.decoded("DTSTART") == datetime.fromisoformat(later[0]["starts_at"])
        assert moved["SEQUENCE"] == 1

        suite.call("booking", "POST", f"{path}/cancel", as_=a, json={"reason": "feed test"})
        canceled = events(calendar_client.get(feed["url"]))[uid]
        assert (canceled["STATUS"], canceled["SEQUENCE"]) == ("CANCELLED", 2)

        rotated = suite.call("booking", "POST", "/v1/me/calendar-feed", expect=201, as_=a)
        old = calendar_client.get(feed["url"])
        assert (old.status_code, old.headers["content-type"]) == (404, PROBLEM)
        assert old.json()["code"] == "CALENDAR_FEED_NOT_FOUND"
        assert uid in events(calendar_client.get(rotated["url"]))

        suite.call("booking", "DELETE", "/v1/me/calendar-feed", expect=204, as_=a)
        revoked = calendar_client.get(rotated["url"])
        assert (revoked.status_code, revoked.json()["code"]) == (404, "CALENDAR_FEED_NOT_FOUND")
        assert uid in events(calendar_client.get(mentor_feed["url"]))  # the mentor's still works
    finally:
        calendar_client.close()
        suite.close()


async def test_a_students_calendar_feed_follows_their_sessions_through_the_gateway(
    databases, nats_url, namespace, tmp_path: Path
):
    urls = {}
    for service in SERVICES:
        ini = repo_root() / "services" / service.name / "alembic.ini"
        _, urls[service.name] = await databases.create(ini)
    with behind_gateway(
        database_urls=urls, nats_url=nats_url, namespace=namespace, workdir=tmp_path
    ) as (_, gateway):
        await asyncio.to_thread(feed_walk, gateway.url)
