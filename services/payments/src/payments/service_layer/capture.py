"""Capture an approved PayPal order; the capture's outcome settles the order at once."""

from dataclasses import dataclass
from typing import cast
from uuid import UUID

from payments.adapters.providers import CapturingProvider
from payments.adapters.unit_of_work import SqlPaymentsUnitOfWork
from payments.domain.errors import OrderNotCapturable, OrderNotFound, ProviderFailed
from payments.domain.model import Order, OrderStatus, Provider
from payments.service_layer.dependencies import Dependencies
from payments.service_layer.order_outcomes import end_unpaid, record_payment
from payments.service_layer.payment_checks import mismatched
from shared.logging import get_logger

log = get_logger(__name__)


@dataclass(frozen=True)
class CapturePayPalOrder:
    order_id: UUID
    student_id: str


async def capture_paypal_order(cmd: CapturePayPalOrder, *, deps: Dependencies) -> Order:
    """The order after the capture: paid, failed (denied), or as it was if already settled."""
    provider = cast(CapturingProvider, deps.provider(Provider.paypal))
    async with deps.uow() as unit:
        uow = SqlPaymentsUnitOfWork(unit)
        order = await uow.orders.get(cmd.order_id)
    if order is None or order.student_id != cmd.student_id:
        raise OrderNotFound(f"no order {cmd.order_id}")
    if not order.capturable or order.provider_ref is None:
        raise OrderNotCapturable(f"order {cmd.order_id} is not a PayPal checkout")
    if order.status is not OrderStatus.pending:
        return order
    try:
        captured = await provider.capture(
            paypal_order_id=order.provider_ref, order_id=str(cmd.order_id)
        )
    except Exception as exc:
        log.warning("capture.provider_failed", order_id=str(cmd.order_id), error=repr(exc))
        raise ProviderFailed("PayPal did not capture the payment; try again") from exc
    async with deps.uow() as unit:
        uow = SqlPaymentsUnitOfWork(unit)
        locked = await uow.orders.get(cmd.order_id, lock=True)
        assert locked is not None
        mismatch = False
        if captured.completed and captured.reported is not None:
            mismatch = await mismatched(
                locked,
                captured.reported,
                provider=Provider.paypal,
                event_id=f"capture:{captured.capture_id or cmd.order_id}",
                uow=uow,
                deps=deps,
            )
        if captured.completed and not mismatch:
            await record_payment(locked, uow=uow, deps=deps, payment_ref=captured.capture_id)
        elif captured.declined:
            await end_unpaid(
                locked,
                uow=uow,
                deps=deps,
                status=OrderStatus.failed,
                reason=f"PayPal capture {captured.status.lower()}",
            )
        await unit.commit()
    return locked
