"""HTTP: a receipt as JSON, HTML or PDF, and an order's receipts; for the order's student and
admins only (anyone else: 404, as for the order itself)."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from payments.adapters import views
from payments.adapters.receipt_documents import receipt_html, receipt_pdf
from payments.adapters.receipts import receipt_by_id, receipts_of_order
from payments.domain.errors import OrderNotFound, ReceiptNotFound
from payments.domain.receipts import Receipt
from payments.entrypoints.deps import Deps
from payments.entrypoints.schemas import (
    ReceiptBuyer,
    ReceiptLineRead,
    ReceiptLinks,
    ReceiptRead,
    ReceiptSeller,
    ReceiptTax,
)
from shared.auth import User
from shared.db import DbConnection
from shared.http.deps import CurrentUser, ReadDb
from shared.links import public_link

router = APIRouter(prefix="/v1", tags=["receipts"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "RECEIPT_NOT_FOUND: no such receipt, or not the caller's"}
}


async def _readable(db: DbConnection, receipt_id: UUID, user: User) -> Receipt:
    receipt = await receipt_by_id(db, receipt_id)
    if receipt is None or not user.acts_for(receipt.student_id):
        raise ReceiptNotFound(f"no receipt {receipt_id}")
    return receipt


def _read(receipt: Receipt, deps: Deps) -> ReceiptRead:
    assert receipt.number is not None  # a stored receipt is numbered
    base = public_link(deps.settings.public_api_url, f"/v1/receipts/{receipt.receipt_id}")
    tax = receipt.tax
    return ReceiptRead(
        receipt_id=receipt.receipt_id,
        number=receipt.number,
        kind=receipt.kind.value,
        order_id=receipt.order_id,
        refund_id=receipt.refund_id,
        refers_to=receipt.refers_to,
        issued_at=receipt.issued_at,
        seller=ReceiptSeller.model_validate(receipt.seller, from_attributes=True),
        buyer=ReceiptBuyer.model_validate(receipt.buyer, from_attributes=True),
        lines=[
            ReceiptLineRead.model_validate(line, from_attributes=True) for line in receipt.lines
        ],
        total=receipt.total,
        currency=receipt.currency,
        tax=None
        if tax is None
        else ReceiptTax(
            label=tax.label, percent=f"{tax.percent:f}", amount=tax.amount, inclusive=tax.inclusive
        ),
        provider=receipt.provider.value,
        provider_ref=receipt.provider_ref,
        links=ReceiptLinks(html=f"{base}.html", pdf=f"{base}.pdf"),
    )


# The .html and .pdf routes come first: `/receipts/{receipt_id}` would take "<id>.pdf" too.
@router.get(
    "/receipts/{receipt_id}.html",
    response_class=HTMLResponse,
    responses={200: {"content": {"text/html": {}}}, **NOT_FOUND},
)
async def receipt_as_html(receipt_id: UUID, user: CurrentUser, db: ReadDb) -> HTMLResponse:
    """The receipt as a page to read or print."""
    return HTMLResponse(receipt_html(await _readable(db, receipt_id, user)))


@router.get(
    "/receipts/{receipt_id}.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}, **NOT_FOUND},
)
async def receipt_as_pdf(receipt_id: UUID, user: CurrentUser, db: ReadDb) -> Response:
    """The receipt as a PDF document, named by its number."""
    receipt = await _readable(db, receipt_id, user)
    return Response(
        receipt_pdf(receipt),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{receipt.number}.pdf"'},
    )


@router.get("/receipts/{receipt_id}", response_model=ReceiptRead, responses=NOT_FOUND)
async def get_receipt(receipt_id: UUID, user: CurrentUser, db: ReadDb, deps: Deps) -> ReceiptRead:
    """One receipt: number, seller, buyer, lines, total, tax, provider and its reference."""
    return _read(await _readable(db, receipt_id, user), deps)


@router.get(
    "/orders/{order_id}/receipts",
    response_model=list[ReceiptRead],
    responses={404: {"description": "ORDER_NOT_FOUND: no such order, or not the caller's"}},
)
async def order_receipts(
    order_id: UUID, user: CurrentUser, db: ReadDb, deps: Deps
) -> list[ReceiptRead]:
    """The order's receipts: its purchase (once paid), then one per refund."""
    order = await views.order_by_id(db, order_id)
    if order is None or not user.acts_for(order.student_id):
        raise OrderNotFound(f"no order {order_id}")
    return [_read(receipt, deps) for receipt in await receipts_of_order(db, order_id)]
