"""A product: a pack of sessions a mentor sells at a price."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True)
class Product:
    product_id: UUID
    mentor_id: str
    title: str
    price_amount: int  # minor units
    currency: str
    sessions_count: int
    session_minutes: int
    validity_days: int
    active: bool  # on sale
    grandfathered: bool  # a returning student keeps the price they paid, as a ceiling
    created_at: datetime
    updated_at: datetime
