"""Provider events: stored once before the request is answered, processed from the store in
batches (one unit of work claims, applies and marks a batch).

The adapters read the stored event into a report (`domain/reports.py`); an event that can
never be applied (`UnusableEvent`: its shape is wrong) ends once as a dead letter, with its
reason, instead of failing again on every sweep.
"""

from collections.abc import Sequence

from payments.adapters import paypal_reports, stripe_reports
from payments.adapters.repositories import PaymentsUnitOfWork, ProcessedEvent, WebhookIntake
from payments.domain.model import Provider
from payments.domain.outcomes import OrderOutcome
from payments.domain.reports import OrderReport, UnusableEvent
from payments.service_layer.dependencies import Dependencies
from payments.service_layer.provider_reports import apply_report
from shared.logging import get_logger

log = get_logger(__name__)

READERS = {Provider.stripe: stripe_reports.read, Provider.paypal: paypal_reports.read}


async def store_event(
    *,
    provider: Provider,
    event_id: str,
    event_type: str,
    body: bytes,
    intake: WebhookIntake,
    deps: Dependencies,
) -> bool:
    """Keep a verified event with its raw body; False for one already stored."""
    return await intake.store(
        provider=provider,
        event_id=event_id,
        event_type=event_type,
        body=body,
        now=deps.clock.now(),
    )


async def process_events(
    keys: Sequence[tuple[Provider, str]], *, uow: PaymentsUnitOfWork, deps: Dependencies
) -> dict[tuple[Provider, str], OrderOutcome]:
    """Apply stored events to their orders in the order they were received, and mark them
    processed; an event processed (or being processed) already is left out."""
    outcomes: dict[tuple[Provider, str], OrderOutcome] = {}
    done: list[ProcessedEvent] = []
    claimed = [(event, Provider(event.provider)) for event in await uow.webhook_events.claim(keys)]
    reports = [READERS[provider](event.body) for event, provider in claimed]
    # Every order the batch names, locked in one statement before the first is changed, and
    # the changed ones written in one statement at the commit.
    uow.orders.save_at_commit()
    await uow.orders.lock(
        [
            report.order.order_id
            for report in reports
            if isinstance(report, OrderReport) and report.order.order_id is not None
        ]
    )
    for (event, provider), report in zip(claimed, reports, strict=True):
        if isinstance(report, UnusableEvent):
            outcome = OrderOutcome.dead
            done.append(
                ProcessedEvent(
                    event.provider,
                    event.event_id,
                    outcome=f"{OrderOutcome.dead}: {report.reason}",
                    dead_reason=report.reason,
                )
            )
            log.warning(
                "webhook.dead_lettered",
                provider=provider,
                event_id=event.event_id,
                reason=report.reason,
            )
        else:
            outcome = await apply_report(
                report, provider=provider, event_id=event.event_id, uow=uow, deps=deps
            )
            done.append(ProcessedEvent(event.provider, event.event_id, outcome=outcome))
            log.info(
                "webhook.processed", provider=provider, event_id=event.event_id, outcome=outcome
            )
        outcomes[provider, event.event_id] = outcome
    await uow.webhook_events.mark_processed(done, now=deps.clock.now())
    return outcomes
