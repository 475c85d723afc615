"""HTTP: the product catalog, and the refunds the platform owes."""

from dataclasses import asdict
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from sqlalchemy import select

from payments.adapters import products as products_repo
from payments.adapters.products import SqlProducts
from payments.adapters.tables import refund_requests
from payments.adapters.unit_of_work import SqlPaymentsUnitOfWork
from payments.domain.errors import ProductNotFound
from payments.entrypoints.deps import Deps
from payments.entrypoints.schemas import (
    ProductCreate,
    ProductRead,
    ProductUpdate,
    RefundRequestRead,
)
from payments.service_layer import products as catalog
from shared.auth import Role, User, require_role
from shared.http.deps import Admin, Mentor, ReadDb, Uow
from shared.types import Paging, UserId

router = APIRouter(prefix="/v1", tags=["payments"])

MentorOrAdmin = Annotated[User, require_role(Role.mentor, Role.admin)]


@router.post("/products", response_model=ProductRead, status_code=201)
async def create_product(body: ProductCreate, user: Mentor, uow: Uow, deps: Deps) -> dict[str, Any]:
    """A mentor puts a new product (a pack of sessions at a price) on sale."""
    product = await catalog.create_product(
        catalog.CreateProduct(mentor_id=user.id, **body.model_dump()),
        uow=SqlPaymentsUnitOfWork(uow),
        deps=deps,
    )
    await uow.commit()
    return product


@router.patch("/products/{product_id}", response_model=ProductRead)
async def update_product(
    product_id: UUID, body: ProductUpdate, user: MentorOrAdmin, uow: Uow, deps: Deps
) -> dict[str, Any]:
    """Change a product's title, price, pack shape or whether it is on sale."""
    changes = body.model_dump(exclude_unset=True)  # never null: ProductUpdate refuses it
    product = await catalog.update_product(
        catalog.UpdateProduct(
            product_id=product_id,
            actor_id=user.id,
            actor_is_admin=user.is_admin,
            changes=changes,
        ),
        uow=SqlPaymentsUnitOfWork(uow),
        deps=deps,
    )
    await uow.commit()
    return product


@router.get("/products", response_model=list[ProductRead])
async def list_products(
    db: ReadDb,
    paging: Annotated[Paging, Query()],
    mentor_id: UserId | None = None,
    active: bool = True,
) -> list[ProductRead]:
    """Products on sale (or, with `active=false`, withdrawn ones), newest first."""
    rows = await products_repo.page(
        db, mentor_id=mentor_id, active=active, limit=paging.limit, offset=paging.offset
    )
    return [ProductRead.model_validate(row._mapping) for row in rows]


@router.get("/products/{product_id}", response_model=ProductRead)
async def get_product(product_id: UUID, db: ReadDb) -> dict[str, Any]:
    product = await SqlProducts(db).get(product_id)
    if product is None:
        raise ProductNotFound(f"no product {product_id}")
    return asdict(product)


@router.get("/refund-requests", response_model=list[RefundRequestRead])
async def list_refund_requests(
    _: Admin, db: ReadDb, status: Literal["refund_required", "refunded"] | None = None
) -> list[RefundRequestRead]:
    """Orders the platform owes a refund for (operators)."""
    query = select(refund_requests).order_by(refund_requests.c.requested_at.desc())
    if status is not None:
        query = query.where(refund_requests.c.status == status)
    rows = await db.execute(query.limit(500))
    return [RefundRequestRead.model_validate(row._mapping) for row in rows]
