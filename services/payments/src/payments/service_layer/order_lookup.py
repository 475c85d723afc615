"""The order a provider event names: our order id in its metadata or reference."""

from uuid import UUID

from payments.adapters import orders as orders_repo
from shared.db import AnyRow
from shared.uow import UnitOfWork


async def order_of(uow: UnitOfWork, metadata: object, reference: object) -> AnyRow | None:
    """The named order, locked; None if no usable order id is given or no such order."""
    candidate = (metadata or {}).get("order_id") if isinstance(metadata, dict) else None
    for value in (candidate, reference):
        if (order_id := as_uuid(value)) is not None:
            return await orders_repo.get_row(uow.connection, order_id, lock=True)
    return None


def as_uuid(value: object) -> UUID | None:
    if not isinstance(value, str):
        return None
    try:
        return UUID(value)
    except ValueError:
        return None
