"""HTTP for operators: refund an order, see its refunds, manage promo codes."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from payments.adapters import promos as promos_repo
from payments.adapters import refunds as refunds_repo
from payments.domain.pricing import PromoKind
from payments.entrypoints.deps import Ctx
from payments.entrypoints.schemas import (
    PromoCodeCreate,
    PromoCodeRead,
    RefundCreate,
    RefundRead,
)
from payments.service_layer.promos import CreatePromo, create_promo
from payments.service_layer.refunds import RefundOrder, refund_order
from shared.auth import AdminUser
from shared.http.deps import ReadDb, Uow
from shared.types import Paging

router = APIRouter(prefix="/v1", tags=["operators"])


@router.post("/orders/{order_id}/refunds", response_model=list[RefundRead], status_code=201)
async def refund(
    order_id: UUID, body: RefundCreate, _: AdminUser, ctx: Ctx, db: ReadDb
) -> list[RefundRead]:
    """Refund all that is left, `amount`, or the unused sessions' share, at the provider."""
    await refund_order(
        RefundOrder(order_id, body.amount, body.reason, pro_rata=body.pro_rata), ctx=ctx
    )
    return [
        RefundRead.model_validate(r._mapping) for r in await refunds_repo.of_order(db, order_id)
    ]


@router.post("/admin/promo-codes", response_model=PromoCodeRead, status_code=201)
async def add_promo_code(body: PromoCodeCreate, _: AdminUser, uow: Uow, ctx: Ctx) -> PromoCodeRead:
    fields = body.model_dump()
    promo = await create_promo(
        CreatePromo(**{**fields, "kind": PromoKind(body.kind)}), uow=uow, ctx=ctx
    )
    await uow.commit()
    return PromoCodeRead.model_validate(promo)


@router.get("/admin/promo-codes", response_model=list[PromoCodeRead])
async def list_promo_codes(
    _: AdminUser,
    db: ReadDb,
    paging: Annotated[Paging, Query()],
) -> list[PromoCodeRead]:
    rows = await promos_repo.list_rows(db, limit=paging.limit, offset=paging.offset)
    return [PromoCodeRead.model_validate(row._mapping) for row in rows]
