"""A canceled session (`session.canceled`) consumes or gives back its credit."""

from dataclasses import dataclass
from uuid import UUID

from packs.adapters.repositories import PacksUnitOfWork
from packs.domain.cancellation import Canceller, forfeits_credit
from packs.domain.model import SettlementOutcome
from packs.service_layer.consume_credit import ConsumeCredit, consume_credit
from packs.service_layer.dependencies import Dependencies
from packs.service_layer.release_credit import ReleaseCredit, release_credit


@dataclass(frozen=True)
class SettleCancellation:
    session_id: UUID
    canceled_by: Canceller
    late: bool  # inside booking's cancel window


async def settle_cancellation(
    cmd: SettleCancellation, *, uow: PacksUnitOfWork, deps: Dependencies
) -> SettlementOutcome:
    """Which way the rule went; settling twice changes nothing the second time."""
    if forfeits_credit(canceled_by=cmd.canceled_by, late=cmd.late):
        consume = ConsumeCredit(cmd.session_id, SettlementOutcome.late_cancel)
        await consume_credit(consume, uow=uow, deps=deps)
        return SettlementOutcome.late_cancel
    release = ReleaseCredit(cmd.session_id, SettlementOutcome.canceled)
    await release_credit(release, uow=uow, deps=deps)
    return SettlementOutcome.canceled
