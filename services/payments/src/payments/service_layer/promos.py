"""Promo codes an admin creates: percent or fixed amount (with its currency), optional scope."""

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from payments.adapters import promos as promos_repo
from payments.domain.errors import PromoExists
from payments.domain.pricing import PromoKind
from payments.service_layer.context import Context
from shared.errors import Conflict, InvalidInput
from shared.uow import UnitOfWork


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


async def create_promo(cmd: CreatePromo, *, uow: UnitOfWork, ctx: Context) -> dict[str, Any]:
    if cmd.kind is PromoKind.percent and (
        cmd.percent_off is None or cmd.amount_off or cmd.currency
    ):
        raise InvalidInput("a percent code has percent_off only", code="PROMO_INVALID")
    if cmd.kind is PromoKind.fixed and (
        cmd.amount_off is None or cmd.currency is None or cmd.percent_off
    ):
        raise InvalidInput("a fixed code has amount_off and currency", code="PROMO_INVALID")
    now = ctx.clock.now()
    if cmd.expires_at is not None and cmd.expires_at <= now:  # well formed, but too late now
        raise Conflict("the expiry is in the past", code="PROMO_EXPIRY_PASSED")
    row = {**asdict(cmd), "code": cmd.code.upper(), "kind": cmd.kind.value, "created_at": now}
    if not await promos_repo.add(uow.connection, **row):
        raise PromoExists(f"promo code {row['code']} exists")
    return {**row, "redeemed": 0}
