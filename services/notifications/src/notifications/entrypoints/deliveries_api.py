"""HTTP: the delivery log and retrying a failed or dead delivery (operators)."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from notifications.adapters import views
from notifications.adapters.unit_of_work import SqlNotificationsUnitOfWork
from notifications.domain.model import DeliveryStatus
from notifications.entrypoints.deps import Deps
from notifications.entrypoints.schemas import DeliveryPage, DeliveryRead
from notifications.service_layer.retry_delivery import retry_delivery
from shared.http.deps import Admin, ReadDb, Uow
from shared.types import Paging, UserId

router = APIRouter(prefix="/v1", tags=["deliveries"])


@router.get("/deliveries", response_model=DeliveryPage)
async def list_deliveries(
    _: Admin,
    db: ReadDb,
    paging: Annotated[Paging, Query()],
    status: DeliveryStatus | None = None,
    recipient: Annotated[UserId | None, Query()] = None,
    event_id: UUID | None = None,
) -> DeliveryPage:
    """The delivery log, newest first; `?status=dead` lists what exhausted its retries."""
    rows, total = await views.deliveries_where(
        db,
        status=status,
        recipient=recipient,
        event_id=event_id,
        limit=paging.limit,
        offset=paging.offset,
    )
    return DeliveryPage(
        items=[DeliveryRead.model_validate(dict(row._mapping)) for row in rows],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )


@router.post("/deliveries/{delivery_id}/retry", response_model=DeliveryRead)
async def retry(delivery_id: UUID, _: Admin, uow: Uow, deps: Deps) -> DeliveryRead:
    """Send a failed or dead delivery again (a fresh budget of attempts)."""
    delivery = await retry_delivery(delivery_id, uow=SqlNotificationsUnitOfWork(uow), deps=deps)
    await uow.commit()  # its NOTIFY wakes the email or Discord senders of every replica
    return DeliveryRead.model_validate(delivery, from_attributes=True)
