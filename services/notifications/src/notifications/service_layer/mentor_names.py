"""A mentor's profile name, kept from booking's `mentor.updated` for the mails that name them."""

from datetime import datetime

from notifications.adapters import names as names_repo
from shared.messaging.events import MentorUpdated
from shared.uow import UnitOfWork


async def remember_mentor_name(
    event: MentorUpdated, *, occurred_at: datetime, uow: UnitOfWork
) -> None:
    """The newest profile's name wins; a blank one keeps what was known."""
    if not event.display_name.strip():
        return
    await names_repo.remember(
        uow.connection,
        mentor_id=event.mentor_id,
        display_name=event.display_name.strip(),
        occurred_at=occurred_at,
    )
