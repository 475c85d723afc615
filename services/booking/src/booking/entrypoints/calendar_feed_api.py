"""HTTP: a student's or mentor's private calendar feed — open or rotate it, revoke it, and
the feed itself, which calendar clients fetch with the secret token as their only credential."""

import hashlib
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Annotated

from fastapi import APIRouter, Header, Response
from pydantic import BaseModel, Field

from booking.adapters.ics import calendar_feed
from booking.adapters.unit_of_work import SqlBookingUnitOfWork
from booking.domain.calendar_feed import FeedOwner, FeedRole
from booking.entrypoints.deps import Deps, Participant
from booking.service_layer.calendar_feed import open_feed, read_feed, revoke_feed
from shared.http.deps import Uow

router = APIRouter(prefix="/v1", tags=["calendar feed"])

CACHE_CONTROL = "private, max-age=300"
"""Clients poll cheaply (ETag, 304) and no shared cache keeps a person's sessions."""
CALENDAR = "text/calendar; charset=utf-8"


class CalendarFeedRead(BaseModel):
    url: str = Field(description="the feed's secret address; shown only now, keep it private")
    webcal_url: str = Field(description="the same feed as a `webcal:` link (subscribe on click)")
    created_at: datetime


@router.post("/me/calendar-feed", response_model=CalendarFeedRead, status_code=201)
async def create_calendar_feed(user: Participant, uow: Uow, deps: Deps) -> CalendarFeedRead:
    """A new secret URL serving the caller's sessions as iCalendar; any earlier URL of theirs
    stops working (rotation). The URL is shown once: only a hash of its token is kept."""
    owner = FeedOwner(user.id, FeedRole(user.role.value))
    opened = await open_feed(owner, uow=SqlBookingUnitOfWork(uow), deps=deps)
    await uow.commit()
    return CalendarFeedRead(
        url=opened.url, webcal_url=opened.webcal_url, created_at=opened.created_at
    )


@router.delete("/me/calendar-feed", status_code=204, response_class=Response)
async def delete_calendar_feed(user: Participant, uow: Uow) -> Response:
    """Revoke the caller's feed: its URL answers 404 from now on (204 also if there was none)."""
    await revoke_feed(user.id, uow=SqlBookingUnitOfWork(uow))
    await uow.commit()
    return Response(status_code=204)


@router.get(
    "/calendar-feeds/{token}.ics",
    response_class=Response,
    responses={
        200: {
            "content": {"text/calendar": {"schema": {"type": "string"}}},
            "description": "the person's sessions, one VEVENT each (RFC 5545); canceled ones "
            "as STATUS:CANCELLED for 30 days; `ETag`, `Last-Modified`, `Cache-Control`",
        },
        304: {"description": "`If-None-Match` names the current ETag: nothing changed"},
        404: {"description": "CALENDAR_FEED_NOT_FOUND: no live feed has this token"},
    },
)
async def get_calendar_feed(
    token: str,
    uow: Uow,
    deps: Deps,
    if_none_match: Annotated[str | None, Header(max_length=1000)] = None,
) -> Response:
    """The feed a calendar client subscribes to: no Authorization header, the token in the
    path is the credential. Every change to a session shows at the next fetch."""
    feed = await read_feed(token, uow=SqlBookingUnitOfWork(uow), deps=deps)
    body = calendar_feed(feed.entries)
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    headers = {
        "ETag": etag,
        "Last-Modified": format_datetime(feed.modified_at.astimezone(UTC), usegmt=True),
        "Cache-Control": CACHE_CONTROL,
    }
    if if_none_match is not None and etag in _tags(if_none_match):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=CALENDAR, headers=headers)


def _tags(if_none_match: str) -> set[str]:
    """The entity tags of an If-None-Match header, weak ones compared as strong (RFC 9110)."""
    return {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
