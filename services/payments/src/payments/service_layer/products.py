"""Use cases of the product catalog: a mentor creates and changes their own products.

Every change is announced as `product.updated`, carrying the mentor's lowest active price
(what search shows on the mentor card) as it stands after the change.
"""

import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from payments.adapters import products as products_repo
from payments.domain.errors import ProductNotFound
from payments.service_layer.context import Context
from shared.errors import Forbidden
from shared.messaging.events import ProductUpdated
from shared.uow import UnitOfWork

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


async def create_product(cmd: CreateProduct, *, uow: UnitOfWork, ctx: Context) -> dict[str, Any]:
    """Store a new product and announce it in the same transaction."""
    now = ctx.clock.now()
    row = {
        "product_id": uuid.uuid4(),
        **asdict(cmd),
        "currency": cmd.currency.upper(),
        "created_at": now,
        "updated_at": now,
    }
    await products_repo.insert_product(uow.connection, **row)
    await _announce(row, uow=uow)
    return row


async def update_product(cmd: UpdateProduct, *, uow: UnitOfWork, ctx: Context) -> dict[str, Any]:
    """Change a product of the actor's own (admins may change any); announce it if changed."""
    found = await products_repo.get_row(uow.connection, cmd.product_id, lock=True)
    if found is None:
        raise ProductNotFound(f"no product {cmd.product_id}")
    current = dict(found._mapping)
    if current["mentor_id"] != cmd.actor_id and not cmd.actor_is_admin:
        raise Forbidden("only the mentor who owns a product may change it", code="NOT_YOUR_PRODUCT")
    changes = {key: value for key, value in cmd.changes.items() if key in EDITABLE}
    if "currency" in changes:
        changes["currency"] = changes["currency"].upper()
    changed = {key: value for key, value in changes.items() if current[key] != value}
    if not changed:
        return current
    now = ctx.clock.now()
    updated = {**current, **changed, "updated_at": now}
    await products_repo.change(
        uow.connection, cmd.product_id, changes={**changed, "updated_at": now}
    )
    await _announce(updated, uow=uow)
    return updated


async def _announce(row: dict[str, Any], *, uow: UnitOfWork) -> None:
    lowest = await products_repo.lowest_active_price(uow.connection, row["mentor_id"])
    fields = {name: row[name] for name in ProductUpdated.model_fields if name in row}
    uow.record(
        ProductUpdated(
            **fields,
            mentor_lowest_price_amount=lowest.price_amount if lowest else None,
            mentor_lowest_price_currency=lowest.currency if lowest else None,
        )
    )
