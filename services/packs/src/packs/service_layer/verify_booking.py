"""`session.booked` needs no credit change (the reserve came first); it is only checked."""

from packs.adapters.repositories import PacksUnitOfWork
from packs.domain.model import CreditStatus
from packs.service_layer.dependencies import Dependencies
from shared.logging import get_logger
from shared.messaging.events import SessionBooked

log = get_logger(__name__)


async def verify_booking(
    booked: SessionBooked, *, uow: PacksUnitOfWork, deps: Dependencies
) -> bool:
    """True if the booked session holds a reserved credit of its pack; warns otherwise."""
    credit = await uow.credits.get(booked.session_id)
    if credit is None or credit.status is not CreditStatus.reserved:
        log.warning(
            "booking.without_reserved_credit",
            session_id=str(booked.session_id),
            credit_status=credit.status.value if credit else None,
        )
        return False
    if credit.pack_id != booked.pack_id:
        log.warning(
            "booking.credit_on_other_pack",
            session_id=str(booked.session_id),
            booked_pack=str(booked.pack_id),
            credit_pack=str(credit.pack_id),
        )
        return False
    return True
