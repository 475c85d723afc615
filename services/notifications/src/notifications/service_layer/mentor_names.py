"""A mentor's profile name, kept from booking's `mentor.updated` for the mails that name them."""

from datetime import datetime

from notifications.adapters.repositories import NotificationsUnitOfWork
from shared.messaging.events import MentorUpdated


async def remember_mentor_name(
    event: MentorUpdated, *, occurred_at: datetime, uow: NotificationsUnitOfWork
) -> None:
    """The newest profile's name wins; a blank one keeps what was known."""
    if not event.display_name.strip():
        return
    await uow.names.remember(
        event.mentor_id,
        display_name=event.display_name.strip(),
        occurred_at=occurred_at,
    )
