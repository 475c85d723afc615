"""A person's private calendar feed: who it belongs to, its secret token, what it shows."""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from booking.domain.sessions import Session

HISTORY = timedelta(days=90)
"""Sessions that started longer ago than this drop out of the feed."""
CANCELED_SHOWN_FOR = timedelta(days=30)
"""A canceled session stays this long (STATUS:CANCELLED) so subscribed clients remove it."""
MAX_EVENTS = 1000
"""The newest this many sessions, whatever the person's history."""
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{32,128}")


class FeedRole(StrEnum):
    """Whose sessions the feed lists: the person's as a student or as a mentor."""

    student = "student"
    mentor = "mentor"


@dataclass(frozen=True)
class FeedOwner:
    user_id: str
    role: FeedRole


@dataclass(frozen=True)
class FeedEntry:
    """A session in the feed, with when it last changed (its DTSTAMP and LAST-MODIFIED)."""

    session: Session
    updated_at: datetime


@dataclass(frozen=True)
class FeedWindow:
    starts_from: datetime
    """Sessions starting at or after this are shown."""
    canceled_since: datetime
    """Canceled sessions are shown only if canceled at or after this."""


def feed_window(now: datetime) -> FeedWindow:
    return FeedWindow(starts_from=now - HISTORY, canceled_since=now - CANCELED_SHOWN_FOR)


def new_token() -> str:
    """256 random bits, URL-safe: the feed's only credential, shown to its owner once."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What is stored and looked up: a leaked table row does not open the feed, and the
    lookup compares hashes, so its timing says nothing about the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def well_formed(token: str) -> bool:
    """Whether `token` could be one `new_token` made (anything else is unknown, not invalid)."""
    return _TOKEN_SHAPE.fullmatch(token) is not None
