"""Checkout: a pending order with a seat hold, then the provider's checkout page.

Two transactions with the provider call between them (no transaction is held over a
provider): the first creates the order, takes the promo redemption and holds the seat at
packs — a refusal or silence from packs rolls all of it back; the second stores the
provider's checkout. A repeated request with the same Idempotency-Key answers the same.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from payments.adapters import orders as orders_repo
from payments.adapters import products as products_repo
from payments.adapters import promos as promos_repo
from payments.adapters.providers import CheckoutProvider, CheckoutRequest
from payments.domain.errors import (
    IdempotencyKeyReused,
    OwnProduct,
    ProductInactive,
    ProductNotFound,
    PromoExhausted,
    PromoNotFound,
    ProviderFailed,
)
from payments.domain.model import OrderStatus, Provider
from payments.domain.pricing import EarlierPrice, Price, list_price
from payments.service_layer.context import Context
from payments.service_layer.order_outcomes import end_unpaid
from shared.db import AnyRow, DbConnection
from shared.logging import get_logger

log = get_logger(__name__)


@dataclass(frozen=True)
class StartCheckout:
    student_id: str
    product_id: UUID
    provider: Provider
    idempotency_key: str
    promo_code: str | None = None

    def fingerprint(self) -> str:
        body = {
            "product_id": str(self.product_id),
            "provider": self.provider.value,
            "promo_code": self.promo_code,
        }
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


async def start_checkout(cmd: StartCheckout, *, ctx: Context) -> AnyRow:
    """The order (with its redirect URL); the same one for a repeated request."""
    provider = ctx.provider(cmd.provider)  # an unconfigured provider is refused first
    async with ctx.uow() as uow:
        earlier = await orders_repo.by_idempotency_key(
            uow.connection, student_id=cmd.student_id, key=cmd.idempotency_key
        )
    opened = await _open_order(cmd, ctx=ctx) if earlier is None else None
    if earlier is None and opened is None:  # a concurrent request with the same key won
        async with ctx.uow() as uow:
            earlier = await orders_repo.by_idempotency_key(
                uow.connection, student_id=cmd.student_id, key=cmd.idempotency_key
            )
    if earlier is not None:
        if earlier.request_fingerprint != cmd.fingerprint():
            raise IdempotencyKeyReused(
                "this Idempotency-Key was used for another checkout; use a new key"
            )
        opened = earlier.order_id
    assert opened is not None
    return await _attach_provider_checkout(opened, provider=provider, ctx=ctx)


async def _open_order(cmd: StartCheckout, *, ctx: Context) -> UUID | None:
    """Create the pending order, redeem the promo and hold the seat, all or nothing."""
    now = ctx.clock.now()
    async with ctx.uow() as uow:
        product = await products_repo.get_row(uow.connection, cmd.product_id)
        if product is None:
            raise ProductNotFound(f"no product {cmd.product_id}")
        if not product.active:
            raise ProductInactive(f"product {cmd.product_id} is not on sale")
        if product.mentor_id == cmd.student_id:
            raise OwnProduct("a mentor cannot buy their own product")
        price = await _price(uow.connection, cmd=cmd, product=product, now=now)
        order_id = uuid4()
        expires_at = now + ctx.checkout_lifetime
        inserted = await orders_repo.insert_order(
            uow.connection,
            order_id=order_id,
            student_id=cmd.student_id,
            mentor_id=product.mentor_id,
            product_id=product.product_id,
            provider=cmd.provider.value,
            status=OrderStatus.pending.value,
            idempotency_key=cmd.idempotency_key,
            request_fingerprint=cmd.fingerprint(),
            title=product.title,
            sessions_count=product.sessions_count,
            session_minutes=product.session_minutes,
            validity_days=product.validity_days,
            currency=price.currency,
            original_amount=price.original,
            discount_amount=price.discount,
            final_amount=price.final,
            promo_code=price.promo_code,
            created_at=now,
            expires_at=expires_at,
            updated_at=now,
        )
        if not inserted:
            return None
        if price.promo_code is not None and not await promos_repo.redeem(
            uow.connection, price.promo_code
        ):
            raise PromoExhausted(f"promo code {price.promo_code} has no redemptions left")
        # Inside the transaction: a refusal (RemoteError) or silence (RequestFailed) from
        # packs rolls back the order and the redemption; the provider is never called.
        await ctx.seat_holds.hold(
            order_id=order_id,
            student_id=cmd.student_id,
            mentor_id=product.mentor_id,
            hold_until=expires_at + ctx.hold_margin,
        )
        await uow.commit()
    log.info("checkout.opened", order_id=str(order_id), provider=cmd.provider.value)
    return order_id


async def _price(
    session: DbConnection, *, cmd: StartCheckout, product: AnyRow, now: datetime
) -> Price:
    earlier = await orders_repo.earlier_paid_price(
        session, student_id=cmd.student_id, product_id=product.product_id
    )
    original = list_price(
        price=product.price_amount,
        currency=product.currency,
        grandfathered=product.grandfathered,
        earlier=EarlierPrice(earlier.original_amount, earlier.currency) if earlier else None,
    )
    if cmd.promo_code is None:
        return Price(original=original, discount=0, currency=product.currency, promo_code=None)
    row = await promos_repo.get_row(session, cmd.promo_code)
    if row is None:
        raise PromoNotFound(f"no promo code {cmd.promo_code}")
    discount = promos_repo.to_promo(row).discount_on(
        amount=original,
        currency=product.currency,
        product_id=product.product_id,
        mentor_id=product.mentor_id,
        now=now,
    )
    return Price(
        original=original, discount=discount, currency=product.currency, promo_code=row.code
    )


async def _attach_provider_checkout(
    order_id: UUID, *, provider: CheckoutProvider, ctx: Context
) -> AnyRow:
    """Create the provider's checkout once per order (its idempotency key is the order's)."""
    async with ctx.uow() as uow:
        order = await orders_repo.get_row(uow.connection, order_id)
    assert order is not None
    if order.redirect_url is not None or order.status != OrderStatus.pending:
        return order
    try:
        created = await provider.create_checkout(
            CheckoutRequest(
                order_id=order.order_id,
                student_id=order.student_id,
                title=order.title,
                amount=order.final_amount,
                currency=order.currency,
                expires_at=order.expires_at,
            )
        )
    except Exception as exc:
        log.warning("checkout.provider_failed", order_id=str(order_id), error=repr(exc))
        async with ctx.uow() as uow:
            row = await orders_repo.get_row(uow.connection, order_id, lock=True)
            assert row is not None
            await end_unpaid(
                row,
                uow=uow,
                ctx=ctx,
                status=OrderStatus.failed,
                reason=f"the provider refused the checkout: {exc.__class__.__name__}",
            )
            await uow.commit()
        raise ProviderFailed(f"{order.provider} did not create the checkout; try again") from exc
    async with ctx.uow() as uow:
        await orders_repo.attach_checkout(
            uow.connection,
            order_id,
            provider_ref=created.provider_ref,
            redirect_url=created.redirect_url,
            now=ctx.clock.now(),
        )
        await uow.commit()
        final = await orders_repo.get_row(uow.connection, order_id)
    assert final is not None
    return final
