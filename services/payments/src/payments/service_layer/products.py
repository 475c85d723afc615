"""Use cases of the product catalog: a mentor creates and changes their own products.

Every change is announced as `product.updated`, carrying the mentor's lowest active price
(what search shows on the mentor card) as it stands after the change.
"""

import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from payments.adapters.repositories import PaymentsUnitOfWork
from payments.domain.errors import ProductNotFound
from payments.domain.product import Product
from payments.service_layer.dependencies import Dependencies
from payments.service_layer.product_events import product_updated
from shared.errors import Forbidden

EDITABLE = frozenset(
    {
        "title",
        "price_amount",
        "currency",
        "sessions_count",
        "session_minutes",
        "validity_days",
        "active",
        "grandfathered",
    }
)


@dataclass(frozen=True)
class CreateProduct:
    mentor_id: str
    title: str
    price_amount: int
    currency: str
    sessions_count: int
    session_minutes: int
    validity_days: int
    active: bool
    grandfathered: bool = False


@dataclass(frozen=True)
class UpdateProduct:
    product_id: uuid.UUID
    actor_id: str
    actor_is_admin: bool
    changes: dict[str, Any] = field(default_factory=dict)


async def create_product(
    cmd: CreateProduct, *, uow: PaymentsUnitOfWork, deps: Dependencies
) -> dict[str, Any]:
    """Store a new product and announce it in the same transaction."""
    now = deps.clock.now()
    product = Product(
        product_id=uuid.uuid4(),
        **{**asdict(cmd), "currency": cmd.currency.upper()},
        created_at=now,
        updated_at=now,
    )
    await uow.products.add(product)
    row = asdict(product)
    await _announce(row, uow=uow)
    return row


async def update_product(
    cmd: UpdateProduct, *, uow: PaymentsUnitOfWork, deps: Dependencies
) -> dict[str, Any]:
    """Change a product of the actor's own (admins may change any); announce it if changed."""
    found = await uow.products.get(cmd.product_id, lock=True)
    if found is None:
        raise ProductNotFound(f"no product {cmd.product_id}")
    current = asdict(found)
    if current["mentor_id"] != cmd.actor_id and not cmd.actor_is_admin:
        raise Forbidden("only the mentor who owns a product may change it", code="NOT_YOUR_PRODUCT")
    changes = {key: value for key, value in cmd.changes.items() if key in EDITABLE}
    if "currency" in changes:
        changes["currency"] = changes["currency"].upper()
    changed = {key: value for key, value in changes.items() if current[key] != value}
    if not changed:
        return current
    now = deps.clock.now()
    updated = {**current, **changed, "updated_at": now}
    await uow.products.change(cmd.product_id, changes={**changed, "updated_at": now})
    await _announce(updated, uow=uow)
    return updated


async def _announce(row: dict[str, Any], *, uow: PaymentsUnitOfWork) -> None:
    lowest = await uow.products.lowest_active_price(row["mentor_id"])
    uow.record(product_updated(row, mentor_lowest=lowest))
