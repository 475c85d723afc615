"""Payments' one dependency object: what its use cases and routes need besides a unit of work."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from payments.adapters.paypal_webhooks import PayPalVerifier
from payments.adapters.providers import CheckoutProvider
from payments.adapters.repositories import WebhookIntake
from payments.adapters.webhook_queue import WebhookQueue
from payments.config import Settings
from payments.domain.errors import ProviderNotConfigured
from payments.domain.model import Provider
from payments.domain.receipts import ReceiptTerms
from shared.clock import Clock
from shared.messaging import packs_requests as contract
from shared.uow import UnitOfWorkFactory


class SeatHolds(Protocol):
    async def hold(
        self, *, order_id: UUID, student_id: str, mentor_id: str, hold_until: datetime
    ) -> contract.SeatHoldReply: ...


@dataclass(frozen=True)
class Dependencies:
    """Built once by `bootstrap`; routes reach it through `entrypoints.deps.Deps`."""

    settings: Settings
    clock: Clock
    uow: UnitOfWorkFactory
    seat_holds: SeatHolds
    providers: Mapping[Provider, CheckoutProvider]
    paypal_verifier: PayPalVerifier
    webhooks: WebhookQueue  # stored events for the in-process workers
    webhook_intake: WebhookIntake  # where the webhook routes store what they verified
    checkout_lifetime: timedelta = timedelta(minutes=30)
    # The hold outlives the provider's checkout a little, so that a payment completed in the
    # last second still finds its seat when the webhook arrives.
    hold_margin: timedelta = timedelta(minutes=5)
    receipt_terms: ReceiptTerms = ReceiptTerms()  # the seller and the tax receipts show

    def provider(self, name: Provider) -> CheckoutProvider:
        if name not in self.providers:
            raise ProviderNotConfigured(f"provider {name} is not configured on this platform")
        return self.providers[name]
