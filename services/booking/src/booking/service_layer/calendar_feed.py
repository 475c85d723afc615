"""A person's private calendar feed: open (or rotate) it, revoke it, read it by its token."""

from dataclasses import dataclass
from datetime import datetime

from booking.adapters.repositories import BookingUnitOfWork
from booking.domain.calendar_feed import (
    MAX_EVENTS,
    FeedEntry,
    FeedOwner,
    feed_window,
    new_token,
    token_hash,
    well_formed,
)
from booking.domain.errors import CalendarFeedNotFound
from booking.service_layer.dependencies import Dependencies


@dataclass(frozen=True)
class OpenedFeed:
    url: str
    """Shown once: only the token's hash is kept."""
    created_at: datetime

    @property
    def webcal_url(self) -> str:
        """The same feed for clients that subscribe on a `webcal:` link (Apple, Outlook)."""
        return "webcal://" + self.url.split("://", 1)[1]


@dataclass(frozen=True)
class Feed:
    entries: list[FeedEntry]
    modified_at: datetime
    """The latest change the feed shows (a session's, or the feed's own creation)."""


async def open_feed(owner: FeedOwner, *, uow: BookingUnitOfWork, deps: Dependencies) -> OpenedFeed:
    """A new secret URL for the owner's feed; any URL they had before stops working."""
    token = new_token()
    now = deps.clock.now()
    await uow.calendar_feeds.replace(owner, token_hash=token_hash(token), now=now)
    return OpenedFeed(url=deps.policy.calendar_feed_url(token), created_at=now)


async def revoke_feed(user_id: str, *, uow: BookingUnitOfWork) -> bool:
    """The person's feed URL stops working; False if they had none (nothing to do)."""
    return await uow.calendar_feeds.revoke(user_id)


async def read_feed(token: str, *, uow: BookingUnitOfWork, deps: Dependencies) -> Feed:
    """The sessions of the feed whose token this is; CalendarFeedNotFound for any other."""
    found = None
    if well_formed(token):
        found = await uow.calendar_feeds.owner_of(token_hash(token))
    if found is None:
        raise CalendarFeedNotFound("no calendar feed at this address (revoked or replaced?)")
    owner, created_at = found
    window = feed_window(deps.clock.now())
    entries = await uow.calendar_feeds.entries(owner, window=window, limit=MAX_EVENTS)
    modified_at = max([created_at, *(entry.updated_at for entry in entries)])
    return Feed(entries=entries, modified_at=modified_at)
