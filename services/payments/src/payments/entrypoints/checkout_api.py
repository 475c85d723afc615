"""HTTP: start a checkout; read orders (a student's own, or all of them for admins)."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Header, Query

from payments.adapters import views
from payments.domain.errors import OrderNotFound
from payments.domain.model import OrderStatus, Provider
from payments.entrypoints.deps import Deps
from payments.entrypoints.schemas import CheckoutCreate, OrderPage, OrderRead
from payments.service_layer.capture import CapturePayPalOrder, capture_paypal_order
from payments.service_layer.checkout import StartCheckout, start_checkout
from shared.auth import Role, User, require_role
from shared.http.deps import Admin, CurrentUser, ReadDb
from shared.types import Paging, Timestamp, UserId

router = APIRouter(prefix="/v1", tags=["checkout"])

Buyer = Annotated[User, require_role(Role.student, Role.mentor)]
IdempotencyKey = Annotated[
    str, Header(alias="Idempotency-Key", min_length=1, max_length=200, pattern=r"^[\x21-\x7e]+$")
]
PagingQuery = Annotated[Paging, Query()]


@router.post(
    "/checkout",
    response_model=OrderRead,
    status_code=201,
    responses={
        404: {"description": "PRODUCT_NOT_FOUND / PROMO_NOT_FOUND"},
        409: {
            "description": "the seat hold or the promo code was refused (packs' code), or "
            "PROVIDER_NOT_CONFIGURED"
        },
        503: {"description": "packs is silent, or PROVIDER_FAILED"},
    },
)
async def checkout(body: CheckoutCreate, user: Buyer, key: IdempotencyKey, deps: Deps) -> OrderRead:
    """Hold a seat and open the provider's checkout; answer the order and its redirect URL.

    The same Idempotency-Key with the same body answers the same order; with another body, 422.
    """
    order = await start_checkout(
        StartCheckout(
            student_id=user.id,
            product_id=body.product_id,
            provider=Provider(body.provider),
            idempotency_key=key,
            promo_code=body.promo_code,
        ),
        deps=deps,
    )
    return OrderRead.model_validate(order, from_attributes=True)


@router.post("/checkout/paypal/{order_id}/capture", response_model=OrderRead)
async def capture_paypal(order_id: UUID, user: Buyer, deps: Deps) -> OrderRead:
    """Complete a PayPal approval: capture the payment; the order is paid (or failed) at once."""
    order = await capture_paypal_order(CapturePayPalOrder(order_id, user.id), deps=deps)
    return OrderRead.model_validate(order, from_attributes=True)


@router.get("/orders/{order_id}", response_model=OrderRead)
async def get_order(order_id: UUID, user: CurrentUser, db: ReadDb) -> OrderRead:
    """One order, for its student or an admin (404 for anyone else)."""
    row = await views.order_by_id(db, order_id)
    if row is None or not user.acts_for(row.student_id):
        raise OrderNotFound(f"no order {order_id}")
    return OrderRead.model_validate(row._mapping)


@router.get("/me/orders", response_model=OrderPage)
async def my_orders(user: CurrentUser, db: ReadDb, paging: PagingQuery) -> OrderPage:
    """The caller's orders, newest first."""
    rows, total = await views.orders_page(
        db, where=views.OrderFilter(student_id=user.id), limit=paging.limit, offset=paging.offset
    )
    return OrderPage(
        items=[OrderRead.model_validate(r._mapping) for r in rows],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )


@router.get("/admin/orders", response_model=OrderPage)
async def all_orders(
    _: Admin,
    db: ReadDb,
    paging: PagingQuery,
    status: OrderStatus | None = None,
    provider: Provider | None = None,
    mentor_id: UserId | None = None,
    created_from: Timestamp | None = None,
    created_to: Timestamp | None = None,
) -> OrderPage:
    """Orders for operators, filtered by status, provider, mentor and creation time."""
    where = views.OrderFilter(
        status=status.value if status else None,
        provider=provider.value if provider else None,
        mentor_id=mentor_id,
        created_from=created_from,
        created_to=created_to,
    )
    rows, total = await views.orders_page(db, where=where, limit=paging.limit, offset=paging.offset)
    return OrderPage(
        items=[OrderRead.model_validate(r._mapping) for r in rows],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )
