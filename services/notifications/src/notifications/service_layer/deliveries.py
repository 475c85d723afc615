"""Deliveries: who is told what, on which channel. Sending comes with the notifications issue."""

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from notifications.adapters.tables import contacts, deliveries
from shared.uow import UnitOfWork

DEFAULT_CHANNELS = ("email",)
PENDING = "pending"


async def plan_deliveries(
    *,
    uow: UnitOfWork,
    event_id: uuid.UUID,
    event_type: str,
    recipient: str,
    template: str,
    now: datetime,
) -> int:
    """Queue one pending delivery per channel the recipient prefers; returns how many are new."""
    contact = (
        await uow.session.execute(select(contacts).where(contacts.c.user_id == recipient))
    ).first()
    channels = contact.channels if contact is not None else DEFAULT_CHANNELS
    addresses = {
        "email": contact.email if contact is not None else None,
        "discord": contact.discord_id if contact is not None else None,
    }
    rows = [
        {
            "delivery_id": uuid.uuid4(),
            "event_id": event_id,
            "event_type": event_type,
            "channel": channel,
            "recipient": recipient,
            "address": addresses.get(channel),
            "template": template,
            "status": PENDING,
            "attempts": 0,
            "created_at": now,
        }
        for channel in channels
    ]
    if not rows:
        return 0
    result = await uow.session.execute(
        insert(deliveries)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["event_id", "channel", "recipient"])
        .returning(deliveries.c.delivery_id)
    )
    return len(result.all())
