"""HTTP: the product catalog (checkout, orders and webhooks come with the payments issue)."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request
from sqlalchemy import select

from payments.adapters.tables import products, refund_requests
from payments.entrypoints.schemas import (
    ProductCreate,
    ProductRead,
    ProductUpdate,
    RefundRequestRead,
)
from payments.service_layer import products as catalog
from shared.auth import AdminUser, Role, User, require_role
from shared.errors import InvalidInput, NotFound
from shared.http.deps import runtime_of

router = APIRouter(prefix="/v1", tags=["payments"])

MentorOrAdmin = Annotated[User, require_role(Role.mentor, Role.admin)]
Mentor = Annotated[User, require_role(Role.mentor)]


@router.post("/products", response_model=ProductRead, status_code=201)
async def create_product(request: Request, body: ProductCreate, user: Mentor) -> dict:
    """A mentor puts a new product (a pack of sessions at a price) on sale."""
    runtime = runtime_of(request)
    async with runtime.uow() as uow:
        product = await catalog.create_product(
            catalog.CreateProduct(mentor_id=user.id, **body.model_dump()),
            uow=uow,
            outbox=runtime.bus.outbox,
            now=runtime.clock.now(),
        )
        await uow.commit()
    return product


@router.patch("/products/{product_id}", response_model=ProductRead)
async def update_product(
    request: Request, product_id: UUID, body: ProductUpdate, user: MentorOrAdmin
) -> dict:
    """Change a product's title, price, pack shape or whether it is on sale."""
    changes = body.model_dump(exclude_unset=True)
    if any(value is None for value in changes.values()):
        raise InvalidInput("fields may be left out but not set to null", code="NULL_FIELD")
    runtime = runtime_of(request)
    async with runtime.uow() as uow:
        product = await catalog.update_product(
            catalog.UpdateProduct(
                product_id=product_id,
                actor_id=user.id,
                actor_is_admin=user.is_admin,
                changes=changes,
            ),
            uow=uow,
            outbox=runtime.bus.outbox,
            now=runtime.clock.now(),
        )
        await uow.commit()
    return product


@router.get("/products", response_model=list[ProductRead])
async def list_products(
    request: Request,
    mentor_id: str | None = None,
    active: bool = True,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[dict]:
    """Products on sale (or, with `active=false`, withdrawn ones), newest first."""
    query = select(products).where(products.c.active.is_(active))
    if mentor_id is not None:
        query = query.where(products.c.mentor_id == mentor_id)
    query = query.order_by(products.c.created_at.desc(), products.c.product_id)
    async with runtime_of(request).session_factory() as db:
        rows = await db.execute(query.limit(limit).offset(offset))
    return [dict(row._mapping) for row in rows]


@router.get("/products/{product_id}", response_model=ProductRead)
async def get_product(request: Request, product_id: UUID) -> dict:
    async with runtime_of(request).session_factory() as db:
        row = (
            await db.execute(select(products).where(products.c.product_id == product_id))
        ).first()
    if row is None:
        raise NotFound(f"no product {product_id}", code="PRODUCT_NOT_FOUND")
    return dict(row._mapping)


@router.get("/refund-requests", response_model=list[RefundRequestRead])
async def list_refund_requests(
    request: Request, _: AdminUser, status: str | None = None
) -> list[dict]:
    """Orders the platform owes a refund for (operators)."""
    query = select(refund_requests).order_by(refund_requests.c.requested_at.desc())
    if status is not None:
        query = query.where(refund_requests.c.status == status)
    async with runtime_of(request).session_factory() as db:
        rows = await db.execute(query.limit(500))
    return [dict(row._mapping) for row in rows]
