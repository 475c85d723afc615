"""Capture an approved PayPal order; the capture's outcome settles the order at once."""

from dataclasses import dataclass
from typing import cast
from uuid import UUID

from payments.adapters import orders as orders_repo
from payments.adapters.providers import CapturingProvider
from payments.domain.errors import OrderNotCapturable, OrderNotFound, ProviderFailed
from payments.domain.model import OrderStatus, Provider
from payments.service_layer.context import Context
from payments.service_layer.order_outcomes import end_unpaid, record_payment
from payments.service_layer.payment_checks import mismatch_outcome
from shared.db import AnyRow
from shared.logging import get_logger

log = get_logger(__name__)


@dataclass(frozen=True)
class CapturePayPalOrder:
    order_id: UUID
    student_id: str


async def capture_paypal_order(cmd: CapturePayPalOrder, *, ctx: Context) -> AnyRow:
    """The order after the capture: paid, failed (denied), or as it was if already settled."""
    provider = cast(CapturingProvider, ctx.provider(Provider.paypal))
    async with ctx.uow() as uow:
        row = await orders_repo.get_row(uow.connection, cmd.order_id)
    if row is None or row.student_id != cmd.student_id:
        raise OrderNotFound(f"no order {cmd.order_id}")
    if row.provider != Provider.paypal or not row.provider_ref:
        raise OrderNotCapturable(f"order {cmd.order_id} is not a PayPal checkout")
    if row.status != OrderStatus.pending:
        return row
    try:
        captured = await provider.capture(
            paypal_order_id=row.provider_ref, order_id=str(cmd.order_id)
        )
    except Exception as exc:
        log.warning("capture.provider_failed", order_id=str(cmd.order_id), error=repr(exc))
        raise ProviderFailed("PayPal did not capture the payment; try again") from exc
    async with ctx.uow() as uow:
        locked = await orders_repo.get_row(uow.connection, cmd.order_id, lock=True)
        assert locked is not None
        mismatch = None
        if captured.completed and captured.reported is not None:
            mismatch = await mismatch_outcome(
                locked,
                captured.reported,
                provider=Provider.paypal,
                event_id=f"capture:{captured.capture_id or cmd.order_id}",
                uow=uow,
                ctx=ctx,
            )
        if captured.completed and mismatch is None:
            await record_payment(locked, uow=uow, ctx=ctx, payment_ref=captured.capture_id)
        elif captured.status in ("DECLINED", "FAILED"):
            await end_unpaid(
                locked,
                uow=uow,
                ctx=ctx,
                status=OrderStatus.failed,
                reason=f"PayPal capture {captured.status.lower()}",
            )
        await uow.commit()
        final = await orders_repo.get_row(uow.connection, cmd.order_id)
    assert final is not None
    return final
