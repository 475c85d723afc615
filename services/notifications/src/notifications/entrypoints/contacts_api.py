"""HTTP: a user's contact details and preferences, a mentor's webhook, what they were sent."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from notifications.adapters import views
from notifications.adapters.unit_of_work import SqlNotificationsUnitOfWork
from notifications.domain.errors import ContactNotFound
from notifications.domain.model import Contact, DeliveryStatus
from notifications.entrypoints.deps import Deps, UserIdPath, may_manage
from notifications.entrypoints.schemas import (
    ContactRead,
    ContactUpdate,
    DiscordWebhookUpdate,
    NotificationPage,
    NotificationRead,
)
from notifications.service_layer.contacts import SaveContact, save_contact, set_discord_webhook
from shared.auth import Role
from shared.http.deps import CurrentUser, ReadDb, Uow
from shared.types import Paging

router = APIRouter(prefix="/v1", tags=["contacts"])
NO_CONTACT: dict[int | str, dict[str, Any]] = {
    404: {"description": "CONTACT_NOT_FOUND: no contact details saved yet"}
}


async def _save(user_id: str, body: ContactUpdate, uow: Uow, deps: Deps) -> ContactRead:
    command = SaveContact(
        user_id=user_id,
        email=body.email,
        display_name=body.display_name,
        discord_id=body.discord_id,
        timezone=body.timezone,
        locale=body.locale,
        channels=list(body.channels),
        kind_channels=dict(body.kind_channels),
    )
    contact = await save_contact(command, uow=SqlNotificationsUnitOfWork(uow), deps=deps)
    await uow.commit()
    return _contact_read(contact)


async def _read(user_id: str, db: ReadDb) -> ContactRead:
    row = await views.contact(db, user_id)
    if row is None:
        raise ContactNotFound(f"no contact details for {user_id} yet; PUT /v1/contacts/{user_id}")
    return ContactRead.model_validate(dict(row._mapping))


def _contact_read(contact: Contact) -> ContactRead:
    return ContactRead.model_validate(contact, from_attributes=True)


@router.put("/contacts/me", response_model=ContactRead)
async def put_my_contact(
    body: ContactUpdate, user: CurrentUser, uow: Uow, deps: Deps
) -> ContactRead:
    """The caller's contact: how to reach them, in which zone, on which channels per kind."""
    return await _save(user.id, body, uow, deps)


@router.get("/contacts/me", response_model=ContactRead, responses=NO_CONTACT)
async def get_my_contact(user: CurrentUser, db: ReadDb) -> ContactRead:
    return await _read(user.id, db)


@router.put("/contacts/{user_id}", response_model=ContactRead)
async def put_contact(
    user_id: UserIdPath, body: ContactUpdate, user: CurrentUser, uow: Uow, deps: Deps
) -> ContactRead:
    """A user's contact, by that user or an admin."""
    may_manage(user, user_id)
    return await _save(user_id, body, uow, deps)


@router.get("/contacts/{user_id}", response_model=ContactRead, responses=NO_CONTACT)
async def get_contact(user_id: UserIdPath, user: CurrentUser, db: ReadDb) -> ContactRead:
    may_manage(user, user_id)
    return await _read(user_id, db)


@router.put("/contacts/{user_id}/discord-webhook", response_model=ContactRead)
async def put_discord_webhook(
    user_id: UserIdPath, body: DiscordWebhookUpdate, user: CurrentUser, uow: Uow, deps: Deps
) -> ContactRead:
    """A mentor's Discord channel webhook: their Discord messages are posted there."""
    may_manage(user, user_id, role=Role.mentor)  # only mentors register a channel webhook
    contact = await set_discord_webhook(
        user_id, body.url, uow=SqlNotificationsUnitOfWork(uow), deps=deps
    )
    await uow.commit()
    return _contact_read(contact)


@router.delete("/contacts/{user_id}/discord-webhook", response_model=ContactRead)
async def delete_discord_webhook(
    user_id: UserIdPath, user: CurrentUser, uow: Uow, deps: Deps
) -> ContactRead:
    may_manage(user, user_id)
    contact = await set_discord_webhook(
        user_id, None, uow=SqlNotificationsUnitOfWork(uow), deps=deps
    )
    await uow.commit()
    return _contact_read(contact)


@router.get("/me/notifications", response_model=NotificationPage)
async def my_notifications(
    user: CurrentUser,
    db: ReadDb,
    paging: Annotated[Paging, Query()],
    status: DeliveryStatus | None = None,
) -> NotificationPage:
    """What was sent (or is on its way) to the caller, newest first."""
    rows, total = await views.deliveries_where(
        db, recipient=user.id, status=status, limit=paging.limit, offset=paging.offset
    )
    return NotificationPage(
        items=[NotificationRead.model_validate(dict(row._mapping)) for row in rows],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )
