"""`product.updated`, built from a product in one place.

`products` records it on every change; `snapshot.product` replays every product with the same
builder, so the live event and the rebuilt one carry the same fields.
"""

from collections.abc import Mapping
from typing import Any

from shared.messaging.events import ProductUpdated

Price = tuple[int, str]  # (amount in minor units, ISO 4217 currency)


def product_updated(product: Mapping[str, Any], *, mentor_lowest: Price | None) -> ProductUpdated:
    """The product as it stands, with its mentor's cheapest active price (None: none active)."""
    fields = {name: product[name] for name in ProductUpdated.model_fields if name in product}
    return ProductUpdated(
        **{
            **fields,
            "mentor_lowest_price_amount": mentor_lowest[0] if mentor_lowest else None,
            "mentor_lowest_price_currency": mentor_lowest[1] if mentor_lowest else None,
        }
    )
