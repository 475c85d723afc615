"""Due jobs: expire checkouts never paid, process stored webhooks left over, issue owed refunds."""

from payments.adapters.unit_of_work import SqlPaymentsUnitOfWork
from payments.entrypoints.webhook_worker import WebhookWorker
from payments.service_layer.dependencies import Dependencies
from payments.service_layer.order_outcomes import expire_unpaid, orders_past_expiry
from payments.service_layer.refunds import issue_required_refund, refunds_owed
from shared.jobs import acting_due_job, due_job
from shared.runtime import Runtime

EXPIRE_ORDERS = "expire-pending-orders"
PROCESS_WEBHOOKS = "process-webhook-events"
ISSUE_REFUNDS = "issue-required-refunds"


def register(
    runtime: Runtime, *, deps: Dependencies, worker: WebhookWorker, batch_size: int
) -> None:
    # The backstop for a checkout the provider never reported as ended.
    expire_orders = due_job(
        runtime.uow,
        find=orders_past_expiry,
        step=expire_unpaid,
        deps=deps,
        batch_size=batch_size,
        repositories=SqlPaymentsUnitOfWork,
    )

    # Each owed refund calls its provider between two transactions of its own.
    issue_refunds = acting_due_job(
        runtime.uow,
        find=refunds_owed,
        act=issue_required_refund,
        deps=deps,
        batch_size=batch_size,
        repositories=SqlPaymentsUnitOfWork,
    )

    runtime.add_job(EXPIRE_ORDERS, expire_orders)
    runtime.add_job(PROCESS_WEBHOOKS, worker.sweep)
    runtime.add_job(ISSUE_REFUNDS, issue_refunds)
