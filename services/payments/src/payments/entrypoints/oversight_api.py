"""HTTP, operators only: paid events that disagreed with their order, and dead-lettered events."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel

from payments.adapters import mismatches as mismatches_repo
from payments.adapters import webhook_events as events_repo
from shared.http.deps import Admin, ReadDb
from shared.types import Paging

router = APIRouter(prefix="/v1", tags=["oversight"])


class PaymentMismatchRead(BaseModel):
    """A paid provider event whose amount or currency was not its order's; the order was
    not fulfilled by it (decide at the provider: refund, or ask for the difference)."""

    mismatch_id: UUID
    order_id: UUID
    provider: str
    event_id: str
    expected_amount: int
    expected_currency: str
    reported_amount: int | None
    reported_currency: str | None
    detected_at: datetime


class DeadWebhookEventRead(BaseModel):
    """A signed provider event that can never be applied (its shape is wrong), ended once."""

    provider: str
    event_id: str
    event_type: str
    received_at: datetime
    processed_at: datetime
    dead_reason: str


@router.get("/payment-mismatches", response_model=list[PaymentMismatchRead])
async def list_payment_mismatches(
    _: Admin, db: ReadDb, paging: Annotated[Paging, Query()]
) -> list[PaymentMismatchRead]:
    """Paid events that disagreed with their order, newest first."""
    rows = await mismatches_repo.newest(db, limit=paging.limit, offset=paging.offset)
    return [PaymentMismatchRead.model_validate(row._mapping) for row in rows]


@router.get("/webhook-events/dead", response_model=list[DeadWebhookEventRead])
async def list_dead_webhook_events(
    _: Admin, db: ReadDb, paging: Annotated[Paging, Query()]
) -> list[DeadWebhookEventRead]:
    """Provider events ended as dead letters with their reason, newest first."""
    rows = await events_repo.dead(db, limit=paging.limit, offset=paging.offset)
    return [DeadWebhookEventRead.model_validate(row._mapping) for row in rows]
