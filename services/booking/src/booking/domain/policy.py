"""Booking's configurable rules (from settings), handed to the use cases."""

from dataclasses import dataclass
from datetime import timedelta

from shared.links import DEV_PUBLIC_BASE_URL, public_link


@dataclass(frozen=True)
class Policy:
    late_cancel_window: timedelta = timedelta(hours=24)
    """A student cancelling closer to the start than this forfeits the credit."""
    reminder_offsets: tuple[timedelta, ...] = (timedelta(hours=24), timedelta(minutes=10))
    hold_duration: timedelta = timedelta(minutes=5)
    join_url_base: str = f"{DEV_PUBLIC_BASE_URL}/sessions"
    calendar_feed_base: str = f"{DEV_PUBLIC_BASE_URL}/api/booking/v1/calendar-feeds"

    def join_url(self, session_id: object) -> str:
        return public_link(self.join_url_base, f"{session_id}/join")

    def calendar_feed_url(self, token: str) -> str:
        """The feed's public URL (through the gateway): the secret token is its last part."""
        return public_link(self.calendar_feed_base, f"{token}.ics")
