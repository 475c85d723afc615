"""How each user wants to be reached."""

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy.dialects.postgresql import insert

from notifications.adapters.tables import contacts
from shared.uow import UnitOfWork


@dataclass(frozen=True)
class SaveContact:
    user_id: str
    email: str | None
    discord_id: str | None
    timezone: str
    channels: list[str]


async def save_contact(cmd: SaveContact, *, uow: UnitOfWork, now: datetime) -> dict:
    """Create or replace the user's contact details and channel preferences."""
    fields = asdict(cmd)
    statement = insert(contacts).values(**fields, updated_at=now)
    row = (
        await uow.session.execute(
            statement.on_conflict_do_update(
                index_elements=["user_id"], set_={**fields, "updated_at": now}
            ).returning(*contacts.c)
        )
    ).one()
    return dict(row._mapping)
