"""Receipts in Postgres: numbered and written in one statement at the commit, read back whole.

The number comes from the kind's sequence inside the INSERT, so a batch of webhook events
that pays N orders adds one statement, not N (decision 0037's hot path). A receipt its order
(or refund) has already is skipped by the unique indexes (`ON CONFLICT DO NOTHING`).
"""

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import select, text

from payments.adapters.tables import receipts
from payments.domain.model import Provider
from payments.domain.receipts import (
    NUMBER_DIGITS,
    Buyer,
    Receipt,
    ReceiptKind,
    ReceiptLine,
    Seller,
    TaxLine,
)
from shared.db import AnyRow, DbConnection
from shared.uow import UnitOfWork

# Built once. The drafts in the order they were issued, each numbered from its kind's
# sequence; a refund names its order's purchase receipt (if written before this statement).
ISSUE_RECEIPTS = text(
    "WITH drafts AS ("
    " SELECT d.*, nextval(CAST(CASE d.kind WHEN 'purchase' THEN 'receipt_purchase_numbers'"
    " ELSE 'receipt_refund_numbers' END AS regclass)) AS seq"
    " FROM unnest(CAST(:receipt_ids AS uuid[]), CAST(:prefixes AS text[]),"
    " CAST(:kinds AS text[]), CAST(:order_ids AS uuid[]), CAST(:refund_ids AS uuid[]),"
    " CAST(:student_ids AS text[]), CAST(:mentor_ids AS text[]), CAST(:totals AS bigint[]),"
    " CAST(:currencies AS text[]), CAST(:providers AS text[]), CAST(:provider_refs AS text[]),"
    " CAST(:issued_at AS timestamptz[]), CAST(:documents AS text[])) WITH ORDINALITY"
    " AS d(receipt_id, prefix, kind, order_id, refund_id, student_id, mentor_id, total,"
    " currency, provider, provider_ref, issued_at, document, ord))"
    " INSERT INTO receipts (receipt_id, number, kind, order_id, refund_id, student_id,"
    " mentor_id, total, currency, provider, provider_ref, refers_to, issued_at, document)"
    " SELECT receipt_id,"
    " prefix || lpad(CAST(seq AS text), greatest(:digits, length(CAST(seq AS text))), '0'),"
    " kind, order_id, refund_id, student_id, mentor_id, total, currency, provider,"
    " provider_ref,"
    " CASE WHEN kind = 'refund' THEN (SELECT r.number FROM receipts r"
    " WHERE r.order_id = drafts.order_id AND r.kind = 'purchase') END,"
    " issued_at, CAST(document AS jsonb)"
    " FROM drafts ORDER BY ord"
    " ON CONFLICT DO NOTHING"
    " RETURNING receipt_id, number, refers_to"
)


def document_of(receipt: Receipt) -> dict[str, Any]:
    """What the receipt says beyond its columns, as issued."""
    tax = receipt.tax
    return {
        "seller": {
            "name": receipt.seller.name,
            "address": receipt.seller.address,
            "tax_id": receipt.seller.tax_id,
        },
        "buyer": {"student_id": receipt.buyer.student_id},
        "lines": [
            {"description": line.description, "quantity": line.quantity, "amount": line.amount}
            for line in receipt.lines
        ],
        "tax": None
        if tax is None
        else {
            "label": tax.label,
            "percent": str(tax.percent),
            "amount": tax.amount,
            "inclusive": tax.inclusive,
        },
    }


def receipt_of(row: AnyRow) -> Receipt:
    document = row.document
    tax = document["tax"]
    return Receipt(
        receipt_id=row.receipt_id,
        kind=ReceiptKind(row.kind),
        order_id=row.order_id,
        refund_id=row.refund_id,
        student_id=row.student_id,
        mentor_id=row.mentor_id,
        seller=Seller(**document["seller"]),
        buyer=Buyer(**document["buyer"]),
        lines=tuple(ReceiptLine(**line) for line in document["lines"]),
        total=row.total,
        currency=row.currency,
        tax=None
        if tax is None
        else TaxLine(tax["label"], Decimal(tax["percent"]), tax["amount"], tax["inclusive"]),
        provider=Provider(row.provider),
        provider_ref=row.provider_ref,
        issued_at=row.issued_at,
        number=row.number,
        refers_to=row.refers_to,
    )


class _ReceiptsToIssue:
    """The receipts a unit of work issued, written in one statement just before it commits;
    each one written is handed on (`then`) before the outbox is written."""

    def __init__(self, connection: DbConnection) -> None:
        self._connection = connection
        self.drafts: list[tuple[Receipt, Callable[[Receipt], None]]] = []

    async def __call__(self) -> None:
        drafts, self.drafts = self.drafts, []
        if not drafts:
            return
        receipts_ = [receipt for receipt, _ in drafts]
        written = {
            row.receipt_id: row
            for row in await self._connection.execute(
                ISSUE_RECEIPTS,
                {
                    "receipt_ids": [r.receipt_id for r in receipts_],
                    "prefixes": [r.number_prefix for r in receipts_],
                    "kinds": [r.kind.value for r in receipts_],
                    "order_ids": [r.order_id for r in receipts_],
                    "refund_ids": [r.refund_id for r in receipts_],
                    "student_ids": [r.student_id for r in receipts_],
                    "mentor_ids": [r.mentor_id for r in receipts_],
                    "totals": [r.total for r in receipts_],
                    "currencies": [r.currency for r in receipts_],
                    "providers": [r.provider.value for r in receipts_],
                    "provider_refs": [r.provider_ref for r in receipts_],
                    "issued_at": [r.issued_at for r in receipts_],
                    "documents": [json.dumps(document_of(r)) for r in receipts_],
                    "digits": NUMBER_DIGITS,
                },
            )
        }
        for receipt, then in drafts:
            row = written.get(receipt.receipt_id)
            if row is not None:
                then(receipt.numbered(row.number, refers_to=row.refers_to))


class SqlReceipts:
    """Receipts in SQL (`ReceiptRepository`)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def issue(self, receipt: Receipt, *, then: Callable[[Receipt], None]) -> None:
        connection = self._uow.connection
        step = self._uow.before_commit(_ReceiptsToIssue, lambda: _ReceiptsToIssue(connection))
        step.drafts.append((receipt, then))


async def receipt_by_id(connection: DbConnection, receipt_id: UUID) -> Receipt | None:
    row = (
        await connection.execute(select(receipts).where(receipts.c.receipt_id == receipt_id))
    ).first()
    return None if row is None else receipt_of(row)


async def receipts_of_order(connection: DbConnection, order_id: UUID) -> list[Receipt]:
    """The order's receipts, its purchase first, then its refunds as they were issued."""
    query = (
        select(receipts)
        .where(receipts.c.order_id == order_id)
        .order_by(receipts.c.issued_at, receipts.c.kind, receipts.c.number)
    )
    return [receipt_of(row) for row in await connection.execute(query)]
