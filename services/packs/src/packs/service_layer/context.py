"""What every use case needs besides its unit of work: time, the outbox and the policy."""

from dataclasses import dataclass

from packs.domain.policy import Policy
from shared.clock import Clock
from shared.messaging.events import Event
from shared.messaging.outbox import Outbox
from shared.uow import UnitOfWork


@dataclass(frozen=True)
class Context:
    clock: Clock
    outbox: Outbox
    policy: Policy

    def record(self, uow: UnitOfWork, event: Event) -> None:
        """Write the event to the outbox in the unit of work's transaction."""
        self.outbox.record(uow, event)
