"""HTTP: the sandbox provider's checkout page (dev mode only).

Pay and Cancel post a Stripe-format event, signed with the configured secret, to this
service's real `/v1/webhooks/stripe` (in process, through the ASGI app).
"""

from html import escape
from uuid import UUID

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from payments.adapters import sandbox, views
from payments.domain.errors import OrderNotFound, ProviderUnavailable
from shared.db import AnyRow, DbConnection
from shared.http.deps import ReadDb

router = APIRouter(prefix="/v1/sandbox", tags=["sandbox"])

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sandbox checkout</title></head>
<body>
<h1>Sandbox checkout</h1>
<p>{title}: <strong>{amount}</strong> (order {order_id}, {status})</p>
<form method="post" action="{base}/pay"><button type="submit">Pay</button></form>
<form method="post" action="{base}/cancel"><button type="submit">Cancel</button></form>
<p>No money moves: this page signs the event Stripe would send and posts it to the webhook.</p>
</body></html>
"""


async def _sandbox_order(request: Request, db: DbConnection, order_id: UUID) -> AnyRow:
    if not request.app.state.payments_settings.sandbox_enabled:
        raise ProviderUnavailable("the sandbox provider exists only in dev mode")
    row = await views.order_by_id(db, order_id)
    if row is None or row.provider != "sandbox":
        raise OrderNotFound(f"no sandbox order {order_id}")
    return row


@router.get("/checkout/{order_id}", response_class=HTMLResponse)
async def sandbox_page(order_id: UUID, request: Request, db: ReadDb) -> HTMLResponse:
    row = await _sandbox_order(request, db, order_id)
    amount = f"{row.final_amount / 100:.2f} {row.currency}"
    return HTMLResponse(
        PAGE.format(
            title=escape(row.title),
            amount=escape(amount),
            order_id=row.order_id,
            status=escape(row.status),
            base=f"/v1/sandbox/checkout/{row.order_id}",
        )
    )


@router.post("/checkout/{order_id}/pay", response_class=HTMLResponse)
async def sandbox_pay(order_id: UUID, request: Request, db: ReadDb) -> HTMLResponse:
    return await _post_event(request, await _sandbox_order(request, db, order_id), paid=True)


@router.post("/checkout/{order_id}/cancel", response_class=HTMLResponse)
async def sandbox_cancel(order_id: UUID, request: Request, db: ReadDb) -> HTMLResponse:
    return await _post_event(request, await _sandbox_order(request, db, order_id), paid=False)


async def _post_event(request: Request, row: AnyRow, *, paid: bool) -> HTMLResponse:
    body = sandbox.checkout_event(
        order_id=row.order_id,
        paid=paid,
        amount=row.final_amount,
        currency=row.currency,
        expires_at=int(row.expires_at.timestamp()),
    )
    secret = request.app.state.payments_settings.webhook_secret
    transport = httpx.ASGITransport(app=request.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
        answer = await client.post(
            "/v1/webhooks/stripe",
            content=body,
            headers={
                "Stripe-Signature": sandbox.sign(body, secret=secret),
                "Content-Type": "application/json",
            },
        )
    outcome = "Payment sent" if paid else "Checkout canceled"
    return HTMLResponse(
        f"<!doctype html><html><body><h1>{outcome}</h1>"
        f"<p>The webhook answered {answer.status_code}.</p></body></html>",
        status_code=200 if answer.status_code == 200 else 502,
    )
