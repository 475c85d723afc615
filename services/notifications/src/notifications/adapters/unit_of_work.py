"""Notifications' repositories in SQL on one kernel unit of work (the use cases' `uow`)."""

from notifications.adapters.contacts import SqlContacts
from notifications.adapters.deliveries import SqlDeliveries
from notifications.adapters.names import SqlNames
from notifications.adapters.onboarding import SqlOnboarding
from shared.uow import Repositories, UnitOfWork


class SqlNotificationsUnitOfWork(Repositories):
    """`NotificationsUnitOfWork` in SQL: every repository shares the kernel unit of work's
    transaction."""

    def __init__(self, uow: UnitOfWork) -> None:
        super().__init__(uow)
        self.contacts = SqlContacts(uow.connection)
        self.deliveries = SqlDeliveries(uow.connection)
        self.onboarding = SqlOnboarding(uow.connection)
        self.names = SqlNames(uow.connection)
