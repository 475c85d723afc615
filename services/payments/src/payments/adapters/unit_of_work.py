"""Payments' repositories in SQL on one kernel unit of work (the use cases' `uow`)."""

from payments.adapters.mismatches import SqlMismatches
from payments.adapters.orders import SqlOrders
from payments.adapters.pack_usage import SqlPackUsage
from payments.adapters.products import SqlProducts
from payments.adapters.promos import SqlPromos
from payments.adapters.receipts import SqlReceipts
from payments.adapters.refunds import SqlRefunds
from payments.adapters.webhook_events import SqlWebhookEvents
from shared.uow import Repositories, UnitOfWork


class SqlPaymentsUnitOfWork(Repositories):
    """`PaymentsUnitOfWork` in SQL: every repository shares the kernel unit of work's
    transaction (outbox and inbox rows included); the caller still commits that one."""

    def __init__(self, uow: UnitOfWork) -> None:
        super().__init__(uow)
        connection = uow.connection
        self.orders = SqlOrders(connection, uow)
        self.products = SqlProducts(connection)
        self.promos = SqlPromos(connection)
        self.refunds = SqlRefunds(connection)
        self.pack_usage = SqlPackUsage(uow)
        self.mismatches = SqlMismatches(connection)
        self.webhook_events = SqlWebhookEvents(connection)
        self.receipts = SqlReceipts(uow)
