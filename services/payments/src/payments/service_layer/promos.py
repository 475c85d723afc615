"""Promo codes an admin creates: percent or fixed amount (with its currency), optional scope."""

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from payments.adapters.repositories import PaymentsUnitOfWork
from payments.domain.errors import PromoExists
from payments.domain.pricing import PromoKind
from payments.service_layer.dependencies import Dependencies
from shared.errors import Conflict, InvalidInput


@dataclass(frozen=True)
class CreatePromo:
    code: str
    kind: PromoKind
    percent_off: int | None
    amount_off: int | None
    currency: str | None
    expires_at: datetime | None
    max_redemptions: int | None
    product_id: UUID | None
    mentor_id: str | None


async def create_promo(
    cmd: CreatePromo, *, uow: PaymentsUnitOfWork, deps: Dependencies
) -> dict[str, Any]:
    if cmd.kind is PromoKind.percent and (
        cmd.percent_off is None or cmd.amount_off or cmd.currency
    ):
        raise InvalidInput("a percent code has percent_off only", code="PROMO_INVALID")
    if cmd.kind is PromoKind.fixed and (
        cmd.amount_off is None or cmd.currency is None or cmd.percent_off
    ):
        raise InvalidInput("a fixed code has amount_off and currency", code="PROMO_INVALID")
    now = deps.clock.now()
    if cmd.expires_at is not None and cmd.expires_at <= now:  # well formed, but too late now
        raise Conflict("the expiry is in the past", code="PROMO_EXPIRY_PASSED")
    row = {**asdict(cmd), "code": cmd.code.upper(), "kind": cmd.kind.value, "created_at": now}
    if not await uow.promos.add(**row):
        raise PromoExists(f"promo code {row['code']} exists")
    return {**row, "redeemed": 0}
