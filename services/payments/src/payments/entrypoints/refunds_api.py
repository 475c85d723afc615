"""HTTP for operators: refund an order and see its refunds."""

from uuid import UUID

from fastapi import APIRouter

from payments.adapters import refunds as refunds_repo
from payments.entrypoints.deps import Deps
from payments.entrypoints.schemas import (
    RefundCreate,
    RefundRead,
)
from payments.service_layer.refunds import RefundOrder, refund_order
from shared.http.deps import Admin, ReadDb

router = APIRouter(prefix="/v1", tags=["operators"])


@router.post("/orders/{order_id}/refunds", response_model=list[RefundRead], status_code=201)
async def refund(
    order_id: UUID, body: RefundCreate, _: Admin, deps: Deps, db: ReadDb
) -> list[RefundRead]:
    """Refund all that is left, `amount`, or the unused sessions' share, at the provider."""
    await refund_order(
        RefundOrder(order_id, body.amount, body.reason, pro_rata=body.pro_rata), deps=deps
    )
    return [
        RefundRead.model_validate(r._mapping) for r in await refunds_repo.of_order(db, order_id)
    ]
