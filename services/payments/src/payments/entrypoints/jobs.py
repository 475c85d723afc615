"""Due jobs: expire checkouts never paid, process stored webhooks left over, issue owed refunds."""

from payments.adapters import orders as orders_repo
from payments.adapters import refunds as refunds_repo
from payments.domain.model import OrderStatus
from payments.entrypoints.webhook_worker import WebhookWorker
from payments.service_layer.context import Context
from payments.service_layer.order_outcomes import end_unpaid
from payments.service_layer.refunds import issue_required_refund
from shared.logging import get_logger
from shared.runtime import Runtime

log = get_logger(__name__)

EXPIRE_ORDERS = "expire-pending-orders"
PROCESS_WEBHOOKS = "process-webhook-events"
ISSUE_REFUNDS = "issue-required-refunds"


def register(runtime: Runtime, *, ctx: Context, worker: WebhookWorker, batch_size: int) -> None:
    async def expire_orders() -> int:
        """The backstop for a checkout the provider never reported as expired."""
        async with ctx.uow() as uow:
            due = await orders_repo.pending_past_expiry(
                uow.connection, now=ctx.clock.now(), limit=batch_size
            )
        expired = 0
        for order_id in due:
            async with ctx.uow() as uow:
                row = await orders_repo.get_row(uow.connection, order_id, lock=True)
                if (
                    row is None
                    or row.status != OrderStatus.pending
                    or row.expires_at > ctx.clock.now()
                ):
                    continue
                await end_unpaid(
                    row,
                    uow=uow,
                    ctx=ctx,
                    status=OrderStatus.expired,
                    reason="the checkout was never paid",
                )
                await uow.commit()
                expired += 1
        return expired

    async def issue_refunds() -> int:
        async with ctx.uow() as uow:
            owed = await refunds_repo.required(uow.connection, limit=batch_size)
        issued = 0
        for order_id in owed:
            try:
                issued += await issue_required_refund(order_id, ctx=ctx)
            except Exception as exc:  # the next run tries again; the others go on
                log.warning("refund.owed_failed", order_id=str(order_id), error=repr(exc))
        return issued

    runtime.add_job(EXPIRE_ORDERS, expire_orders)
    runtime.add_job(PROCESS_WEBHOOKS, worker.sweep)
    runtime.add_job(ISSUE_REFUNDS, issue_refunds)
