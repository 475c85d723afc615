"""Use cases of the product catalog: a mentor creates and changes their own products."""

import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update

from payments.adapters.tables import products
from shared.errors import Forbidden, NotFound
from shared.messaging.events import ProductUpdated
from shared.messaging.outbox import Outbox
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


@dataclass(frozen=True)
class UpdateProduct:
    product_id: uuid.UUID
    actor_id: str
    actor_is_admin: bool
    changes: dict[str, Any] = field(default_factory=dict)


async def create_product(
    cmd: CreateProduct, *, uow: UnitOfWork, outbox: Outbox, now: datetime
) -> dict:
    """Store a new product and announce it as `product.updated` in the same transaction."""
    row = {
        "product_id": uuid.uuid4(),
        **asdict(cmd),
        "currency": cmd.currency.upper(),
        "created_at": now,
        "updated_at": now,
    }
    await uow.session.execute(insert(products).values(**row))
    outbox.record(uow, _announcement(row))
    return row


async def update_product(
    cmd: UpdateProduct, *, uow: UnitOfWork, outbox: Outbox, now: datetime
) -> dict:
    """Change a product of the actor's own (admins may change any); announce it if changed."""
    found = (
        await uow.session.execute(
            select(products).where(products.c.product_id == cmd.product_id).with_for_update()
        )
    ).first()
    if found is None:
        raise NotFound(f"no product {cmd.product_id}", code="PRODUCT_NOT_FOUND")
    current = dict(found._mapping)
    if current["mentor_id"] != cmd.actor_id and not cmd.actor_is_admin:
        raise Forbidden("only the mentor who owns a product may change it", code="NOT_YOUR_PRODUCT")
    changes = {key: value for key, value in cmd.changes.items() if key in EDITABLE}
    if "currency" in changes:
        changes["currency"] = changes["currency"].upper()
    changed = {key: value for key, value in changes.items() if current[key] != value}
    if not changed:
        return current
    updated = {**current, **changed, "updated_at": now}
    await uow.session.execute(
        update(products)
        .where(products.c.product_id == cmd.product_id)
        .values(**changed, updated_at=now)
    )
    outbox.record(uow, _announcement(updated))
    return updated


def _announcement(row: dict) -> ProductUpdated:
    return ProductUpdated(**{name: row[name] for name in ProductUpdated.model_fields})
