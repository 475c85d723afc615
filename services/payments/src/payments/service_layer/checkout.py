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

from payments.adapters.providers import CheckoutProvider, CheckoutRequest
from payments.adapters.repositories import PaymentsUnitOfWork
from payments.adapters.unit_of_work import SqlPaymentsUnitOfWork
from payments.domain.errors import (
    IdempotencyKeyReused,
    OwnProduct,
    ProductInactive,
    ProductNotFound,
    PromoExhausted,
    PromoNotFound,
    ProviderFailed,
)
from payments.domain.model import Order, OrderStatus, PackTerms, Provider
from payments.domain.pricing import Price, list_price
from payments.domain.product import Product
from payments.service_layer.dependencies import Dependencies
from payments.service_layer.order_outcomes import end_unpaid
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


async def start_checkout(cmd: StartCheckout, *, deps: Dependencies) -> Order:
    """The order (with its redirect URL); the same one for a repeated request."""
    provider = deps.provider(cmd.provider)  # an unconfigured provider is refused first
    async with deps.uow() as unit:
        uow = SqlPaymentsUnitOfWork(unit)
        earlier = await uow.orders.by_idempotency_key(
            student_id=cmd.student_id, key=cmd.idempotency_key
        )
    opened = await _open_order(cmd, deps=deps) if earlier is None else None
    if earlier is None and opened is None:  # a concurrent request with the same key won
        async with deps.uow() as unit:
            uow = SqlPaymentsUnitOfWork(unit)
            earlier = await uow.orders.by_idempotency_key(
                student_id=cmd.student_id, key=cmd.idempotency_key
            )
    if earlier is not None:
        if earlier.request_fingerprint != cmd.fingerprint():
            raise IdempotencyKeyReused(
                "this Idempotency-Key was used for another checkout; use a new key"
            )
        opened = earlier.order_id
    assert opened is not None
    return await _attach_provider_checkout(opened, provider=provider, deps=deps)


async def _open_order(cmd: StartCheckout, *, deps: Dependencies) -> UUID | None:
    """Create the pending order, redeem the promo and hold the seat, all or nothing."""
    now = deps.clock.now()
    async with deps.uow() as unit:
        uow = SqlPaymentsUnitOfWork(unit)
        product = await uow.products.get(cmd.product_id)
        if product is None:
            raise ProductNotFound(f"no product {cmd.product_id}")
        if not product.active:
            raise ProductInactive(f"product {cmd.product_id} is not on sale")
        if product.mentor_id == cmd.student_id:
            raise OwnProduct("a mentor cannot buy their own product")
        price = await _price(uow, cmd=cmd, product=product, now=now)
        order = Order(
            order_id=uuid4(),
            student_id=cmd.student_id,
            mentor_id=product.mentor_id,
            product_id=product.product_id,
            provider=cmd.provider,
            title=product.title,
            pack=PackTerms(
                sessions_count=product.sessions_count,
                session_minutes=product.session_minutes,
                validity_days=product.validity_days,
            ),
            currency=price.currency,
            original_amount=price.original,
            discount_amount=price.discount,
            final_amount=price.final,
            created_at=now,
            expires_at=now + deps.checkout_lifetime,
            promo_code=price.promo_code,
            request_fingerprint=cmd.fingerprint(),
        )
        inserted = await uow.orders.open(order, idempotency_key=cmd.idempotency_key)
        if not inserted:
            return None
        if price.promo_code is not None and not await uow.promos.redeem(price.promo_code):
            raise PromoExhausted(f"promo code {price.promo_code} has no redemptions left")
        # Inside the transaction: a refusal (RemoteError) or silence (RequestFailed) from
        # packs rolls back the order and the redemption; the provider is never called.
        await deps.seat_holds.hold(
            order_id=order.order_id,
            student_id=cmd.student_id,
            mentor_id=product.mentor_id,
            hold_until=order.expires_at + deps.hold_margin,
        )
        await unit.commit()
    log.info("checkout.opened", order_id=str(order.order_id), provider=cmd.provider.value)
    return order.order_id


async def _price(
    uow: PaymentsUnitOfWork, *, cmd: StartCheckout, product: Product, now: datetime
) -> Price:
    earlier = await uow.orders.earlier_paid_price(
        student_id=cmd.student_id, product_id=product.product_id
    )
    original = list_price(
        price=product.price_amount,
        currency=product.currency,
        grandfathered=product.grandfathered,
        earlier=earlier,
    )
    if cmd.promo_code is None:
        return Price(original=original, discount=0, currency=product.currency, promo_code=None)
    promo = await uow.promos.get(cmd.promo_code)
    if promo is None:
        raise PromoNotFound(f"no promo code {cmd.promo_code}")
    discount = promo.discount_on(
        amount=original,
        currency=product.currency,
        product_id=product.product_id,
        mentor_id=product.mentor_id,
        now=now,
    )
    return Price(
        original=original, discount=discount, currency=product.currency, promo_code=promo.code
    )


async def _attach_provider_checkout(
    order_id: UUID, *, provider: CheckoutProvider, deps: Dependencies
) -> Order:
    """Create the provider's checkout once per order (its idempotency key is the order's)."""
    async with deps.uow() as unit:
        uow = SqlPaymentsUnitOfWork(unit)
        order = await uow.orders.get(order_id)
    assert order is not None
    if order.redirect_url is not None or order.status is not OrderStatus.pending:
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
        async with deps.uow() as unit:
            uow = SqlPaymentsUnitOfWork(unit)
            locked = await uow.orders.get(order_id, lock=True)
            assert locked is not None
            await end_unpaid(
                locked,
                uow=uow,
                deps=deps,
                status=OrderStatus.failed,
                reason=f"the provider refused the checkout: {exc.__class__.__name__}",
            )
            await unit.commit()
        raise ProviderFailed(f"{order.provider} did not create the checkout; try again") from exc
    async with deps.uow() as unit:
        uow = SqlPaymentsUnitOfWork(unit)
        await uow.orders.attach_checkout(
            order_id,
            provider_ref=created.provider_ref,
            redirect_url=created.redirect_url,
            now=deps.clock.now(),
        )
        await unit.commit()
        final = await uow.orders.get(order_id)
    assert final is not None
    return final
