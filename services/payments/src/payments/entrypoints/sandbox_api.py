"""HTTP: the sandbox provider's checkout page (dev mode only).

Pay and Cancel post a Stripe-format event, signed with the configured secret, to this
service's real `/v1/webhooks/stripe` (in process, through the ASGI app). A browser (Accept
names text/html) gets pages; a terminal or a script gets JSON.

Only the order's student opens, pays or cancels it: an API client with its bearer token, a
browser with the signed `token` of the checkout's `redirect_url` (bound to the order and the
student, valid until the checkout expires; the page's forms carry it on). Anyone else: 401
without credentials, 404 `ORDER_NOT_FOUND` otherwise (decision 0017).
"""

from html import escape
from typing import Annotated, Any, Literal
from uuid import UUID

import httpx
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel

from payments.adapters import sandbox, views
from payments.domain.errors import OrderNotFound, ProviderNotConfigured
from payments.domain.model import Provider
from payments.entrypoints.deps import Deps
from payments.service_layer.dependencies import Dependencies
from shared.auth import BearerCredentials, current_user
from shared.db import AnyRow, DbConnection
from shared.http.deps import ReadDb
from shared.http.negotiation import prefers_html
from shared.http.problems import problem

router = APIRouter(prefix="/v1/sandbox", tags=["sandbox"])


class SandboxCheckoutRead(BaseModel):
    """The sandbox checkout of one order, and where to pay or cancel it (POST)."""

    order_id: UUID
    title: str
    amount: int
    currency: str
    status: str
    pay_url: str
    cancel_url: str


class SandboxOutcome(BaseModel):
    """What Pay or Cancel did: the webhook's status (200: stored; the order moves shortly)."""

    order_id: UUID
    outcome: Literal["paid", "canceled"]
    webhook_status: int
    order_url: str


HTML: dict[str, dict[str, Any]] = {"text/html": {}}
PAGE_ANSWERS: dict[int | str, dict[str, Any]] = {
    200: {"content": HTML, "description": "JSON, or the page when Accept names text/html"}
}
OUTCOME_ANSWERS: dict[int | str, dict[str, Any]] = {
    200: {"content": HTML, "description": "JSON, or a page when Accept names text/html"},
    502: {
        "description": "SANDBOX_WEBHOOK_REFUSED: the webhook refused the signed event "
        "(`webhook_status` says how); a browser gets a page",
    },
}

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sandbox checkout</title></head>
<body>
<h1>Sandbox checkout</h1>
<p>{title}: <strong>{amount}</strong> (order {order_id}, {status})</p>
<form method="post" action="{base}/pay?token={token}"><button type="submit">Pay</button></form>
<form method="post" action="{base}/cancel?token={token}">
<button type="submit">Cancel</button></form>
<p>No money moves: this page signs the event Stripe would send and posts it to the webhook.</p>
</body></html>
"""


def _public_base(deps: Dependencies, row: AnyRow) -> str:
    """Where clients reach this service: the base of the order's own checkout link."""
    path = f"/v1/sandbox/checkout/{row.order_id}"
    link = str(row.redirect_url or "").split("?", 1)[0]
    if link.endswith(path):
        return link.removesuffix(path)
    return str(deps.settings.public_api_url)


LinkToken = Annotated[
    str | None,
    Query(
        pattern=sandbox.LINK_TOKEN.pattern,
        description="the signed token of the checkout's `redirect_url` (browsers); API "
        "clients send their bearer token instead",
    ),
]
ACCESS_ANSWERS: dict[int | str, dict[str, Any]] = {
    404: {"description": "ORDER_NOT_FOUND: no such sandbox order, or not the caller's"},
}


async def _sandbox_order(
    request: Request,
    db: DbConnection,
    order_id: UUID,
    *,
    credentials: BearerCredentials,
    token: str | None,
    deps: Dependencies,
) -> AnyRow:
    """The order if the caller is its student (bearer token or signed link)."""
    settings = deps.settings
    if not settings.sandbox_enabled:
        raise ProviderNotConfigured("the sandbox provider exists only in dev mode")
    user = None if token is not None else await current_user(request, credentials)
    row = await views.order_by_id(db, order_id)
    if row is None or row.provider != Provider.sandbox:
        raise OrderNotFound(f"no sandbox order {order_id}")
    allowed = (
        user.id == row.student_id
        if user is not None
        else sandbox.link_token_valid(
            token or "",
            order_id=row.order_id,
            student_id=row.student_id,
            secret=settings.webhook_secret,
            now=deps.clock.now(),
        )
    )
    if not allowed:
        raise OrderNotFound(f"no sandbox order {order_id}")
    return row


def _link_of(deps: Dependencies, row: AnyRow) -> str:
    """A fresh signed link for the page's forms (a browser posts no bearer token)."""
    return sandbox.link_token(
        order_id=row.order_id,
        student_id=row.student_id,
        expires_at=int(row.expires_at.timestamp()),
        secret=deps.settings.webhook_secret,
    )


@router.get(
    "/checkout/{order_id}",
    response_model=SandboxCheckoutRead,
    responses={**PAGE_ANSWERS, **ACCESS_ANSWERS},
)
async def sandbox_page(
    order_id: UUID,
    request: Request,
    db: ReadDb,
    deps: Deps,
    credentials: BearerCredentials,
    token: LinkToken = None,
) -> Response:
    row = await _sandbox_order(
        request, db, order_id, credentials=credentials, token=token, deps=deps
    )
    if not prefers_html(request.headers.get("accept")):
        base = f"{_public_base(deps, row)}/v1/sandbox/checkout/{row.order_id}"
        checkout = SandboxCheckoutRead(
            order_id=row.order_id,
            title=row.title,
            amount=row.final_amount,
            currency=row.currency,
            status=row.status,
            pay_url=f"{base}/pay",
            cancel_url=f"{base}/cancel",
        )
        return JSONResponse(checkout.model_dump(mode="json"))
    amount = f"{row.final_amount / 100:.2f} {row.currency}"
    return HTMLResponse(
        PAGE.format(
            title=escape(row.title),
            amount=escape(amount),
            order_id=row.order_id,
            status=escape(row.status),
            base=row.order_id,  # relative: right behind the gateway's prefix too
            token=_link_of(deps, row),
        )
    )


@router.post(
    "/checkout/{order_id}/pay",
    response_model=SandboxOutcome,
    responses={**OUTCOME_ANSWERS, **ACCESS_ANSWERS},
)
async def sandbox_pay(
    order_id: UUID,
    request: Request,
    db: ReadDb,
    deps: Deps,
    credentials: BearerCredentials,
    token: LinkToken = None,
) -> Response:
    row = await _sandbox_order(
        request, db, order_id, credentials=credentials, token=token, deps=deps
    )
    return await _post_event(request, deps, row, paid=True)


@router.post(
    "/checkout/{order_id}/cancel",
    response_model=SandboxOutcome,
    responses={**OUTCOME_ANSWERS, **ACCESS_ANSWERS},
)
async def sandbox_cancel(
    order_id: UUID,
    request: Request,
    db: ReadDb,
    deps: Deps,
    credentials: BearerCredentials,
    token: LinkToken = None,
) -> Response:
    row = await _sandbox_order(
        request, db, order_id, credentials=credentials, token=token, deps=deps
    )
    return await _post_event(request, deps, row, paid=False)


async def _post_event(request: Request, deps: Dependencies, row: AnyRow, *, paid: bool) -> Response:
    body = sandbox.checkout_event(
        order_id=row.order_id,
        paid=paid,
        amount=row.final_amount,
        currency=row.currency,
        expires_at=int(row.expires_at.timestamp()),
    )
    secret = deps.settings.webhook_secret
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
    status = 200 if answer.status_code == 200 else 502
    if not prefers_html(request.headers.get("accept")) and status == 502:
        return problem(
            502,
            "SANDBOX_WEBHOOK_REFUSED",
            "The webhook refused the sandbox's event",
            f"/v1/webhooks/stripe answered {answer.status_code}; nothing was paid or canceled",
            extra={"order_id": str(row.order_id), "webhook_status": answer.status_code},
        )
    if not prefers_html(request.headers.get("accept")):
        outcome = SandboxOutcome(
            order_id=row.order_id,
            outcome="paid" if paid else "canceled",
            webhook_status=answer.status_code,
            order_url=f"{_public_base(deps, row)}/v1/orders/{row.order_id}",
        )
        return JSONResponse(outcome.model_dump(mode="json"), status_code=status)
    label = "Payment sent" if paid else "Checkout canceled"
    return HTMLResponse(
        f"<!doctype html><html><body><h1>{label}</h1>"
        f"<p>The webhook answered {answer.status_code}.</p></body></html>",
        status_code=status,
    )
