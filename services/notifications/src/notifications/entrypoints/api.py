"""HTTP: contacts of users and the delivery log (sending and retry come with notifications)."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request
from sqlalchemy import select

from notifications.adapters.tables import contacts, deliveries
from notifications.entrypoints.schemas import ContactRead, ContactUpdate, DeliveryRead
from notifications.service_layer.contacts import SaveContact, save_contact
from shared.auth import AdminUser, CurrentUser
from shared.errors import NotFound
from shared.http.deps import runtime_of

router = APIRouter(prefix="/v1", tags=["notifications"])


@router.put("/contacts/me", response_model=ContactRead)
async def put_my_contact(request: Request, body: ContactUpdate, user: CurrentUser) -> dict:
    """Any signed-in user says how to reach them, in which time zone, on which channels."""
    runtime = runtime_of(request)
    async with runtime.uow() as uow:
        contact = await save_contact(
            SaveContact(user_id=user.id, **body.model_dump()), uow=uow, now=runtime.clock.now()
        )
        await uow.commit()
    return contact


@router.get("/contacts/me", response_model=ContactRead)
async def get_my_contact(request: Request, user: CurrentUser) -> dict:
    async with runtime_of(request).session_factory() as db:
        row = (await db.execute(select(contacts).where(contacts.c.user_id == user.id))).first()
    if row is None:
        raise NotFound("no contact details yet; PUT /v1/contacts/me", code="CONTACT_NOT_FOUND")
    return dict(row._mapping)


@router.get("/deliveries", response_model=list[DeliveryRead])
async def list_deliveries(
    request: Request,
    _: AdminUser,
    status: str | None = None,
    recipient: str | None = None,
    event_id: UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[dict]:
    """The delivery log, newest first (operators)."""
    query = select(deliveries)
    for column, value in (("status", status), ("recipient", recipient), ("event_id", event_id)):
        if value is not None:
            query = query.where(deliveries.c[column] == value)
    query = query.order_by(deliveries.c.created_at.desc(), deliveries.c.channel)
    async with runtime_of(request).session_factory() as db:
        rows = await db.execute(query.limit(limit).offset(offset))
    return [dict(row._mapping) for row in rows]
