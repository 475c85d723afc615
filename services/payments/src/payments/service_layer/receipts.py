"""Receipts, issued in the unit of work that pays the order or confirms the refund.

Each is numbered as it is written (at the commit) and announced (`receipt.issued`) in the same
transaction; an order or refund that has its receipt already gets no second one.
"""

from uuid import UUID, uuid4

from payments.adapters.repositories import PaymentsUnitOfWork
from payments.domain.model import Order
from payments.domain.receipts import Receipt, purchase_receipt, refund_receipt
from payments.service_layer.dependencies import Dependencies
from shared.messaging.events import ReceiptIssued


def issue_purchase_receipt(order: Order, *, uow: PaymentsUnitOfWork, deps: Dependencies) -> None:
    """The receipt of an order paid in this unit of work."""
    receipt = purchase_receipt(
        order, receipt_id=uuid4(), terms=deps.receipt_terms, issued_at=deps.clock.now()
    )
    uow.receipts.issue(receipt, then=lambda numbered: _announce(numbered, uow=uow))


def issue_refund_receipt(
    order: Order,
    *,
    refund_id: UUID,
    amount: int,
    provider_refund_id: str | None,
    uow: PaymentsUnitOfWork,
    deps: Dependencies,
) -> None:
    """The credit note of a refund confirmed in this unit of work."""
    receipt = refund_receipt(
        order,
        receipt_id=uuid4(),
        refund_id=refund_id,
        amount=amount,
        provider_refund_id=provider_refund_id,
        terms=deps.receipt_terms,
        issued_at=deps.clock.now(),
    )
    uow.receipts.issue(receipt, then=lambda numbered: _announce(numbered, uow=uow))


def _announce(receipt: Receipt, *, uow: PaymentsUnitOfWork) -> None:
    assert receipt.number is not None  # the repository numbered it
    uow.record(
        ReceiptIssued(
            receipt_id=receipt.receipt_id,
            number=receipt.number,
            kind=receipt.kind.value,
            order_id=receipt.order_id,
            student_id=receipt.student_id,
            mentor_id=receipt.mentor_id,
            amount=receipt.total,
            currency=receipt.currency,
            issued_at=receipt.issued_at,
        )
    )
