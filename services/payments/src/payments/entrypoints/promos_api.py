"""HTTP for operators: create and list promo codes."""

from typing import Annotated

from fastapi import APIRouter, Query

from payments.adapters import promos as promos_repo
from payments.adapters.unit_of_work import SqlPaymentsUnitOfWork
from payments.domain.pricing import PromoKind
from payments.entrypoints.deps import Deps
from payments.entrypoints.schemas import PromoCodeCreate, PromoCodeRead
from payments.service_layer.promos import CreatePromo, create_promo
from shared.http.deps import Admin, ReadDb, Uow
from shared.types import Paging

router = APIRouter(prefix="/v1", tags=["operators"])


@router.post("/admin/promo-codes", response_model=PromoCodeRead, status_code=201)
async def add_promo_code(body: PromoCodeCreate, _: Admin, uow: Uow, deps: Deps) -> PromoCodeRead:
    fields = body.model_dump()
    promo = await create_promo(
        CreatePromo(**{**fields, "kind": PromoKind(body.kind)}),
        uow=SqlPaymentsUnitOfWork(uow),
        deps=deps,
    )
    await uow.commit()
    return PromoCodeRead.model_validate(promo)


@router.get("/admin/promo-codes", response_model=list[PromoCodeRead])
async def list_promo_codes(
    _: Admin,
    db: ReadDb,
    paging: Annotated[Paging, Query()],
) -> list[PromoCodeRead]:
    rows = await promos_repo.list_rows(db, limit=paging.limit, offset=paging.offset)
    return [PromoCodeRead.model_validate(row._mapping) for row in rows]
