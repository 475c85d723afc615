"""HTTP: Clerk's user webhooks keep contacts in sync (Svix-signed)."""

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import TypeAdapter, ValidationError

from notifications.adapters.clerk import ClerkEventType, ClerkUser, InvalidSignature, verify
from notifications.adapters.unit_of_work import SqlNotificationsUnitOfWork
from notifications.domain.errors import BadWebhookSignature, ClerkWebhooksNotConfigured
from notifications.entrypoints.deps import Deps
from notifications.service_layer.contacts import SyncUser, erase_user, sync_user
from shared.errors import InvalidInput
from shared.http.deps import Uow
from shared.types import UserId

router = APIRouter(prefix="/v1", tags=["webhooks"])

MAX_BODY = 256 * 1024
CLERK_EVENT_TYPES = {kind.value for kind in ClerkEventType}
_USER_ID: TypeAdapter[str] = TypeAdapter(UserId)


@router.post(
    "/webhooks/clerk",
    status_code=204,
    responses={
        401: {"description": "WEBHOOK_SIGNATURE_INVALID: not signed by Clerk, or stale"},
        409: {"description": "CLERK_WEBHOOKS_NOT_CONFIGURED: no Clerk secret here"},
    },
)
async def clerk_webhook(request: Request, uow: Uow, deps: Deps) -> Response:
    """user.created / user.updated save the identity; user.deleted erases the contact."""
    secret = deps.clerk_webhook_secret.get_secret_value()
    if not secret:
        raise ClerkWebhooksNotConfigured(
            "Clerk webhooks are not configured (NOTIFICATIONS_CLERK_WEBHOOK_SECRET)"
        )
    body = await request.body()
    if len(body) > MAX_BODY:
        raise InvalidInput("webhook body too large", code="PAYLOAD_TOO_LARGE")
    repositories = SqlNotificationsUnitOfWork(uow)
    try:
        webhook = verify(body, dict(request.headers), secret=secret)
        kind = ClerkEventType(webhook.type) if webhook.type in CLERK_EVENT_TYPES else None
        if kind is ClerkEventType.user_deleted:
            await erase_user(_user_id(webhook.data), uow=repositories, deps=deps)
        elif kind is not None:
            user = ClerkUser.model_validate(webhook.data)
            command = SyncUser(user.id, user.primary_email(), user.display_name())
            await sync_user(command, uow=repositories, deps=deps)
    except InvalidSignature as exc:
        raise BadWebhookSignature(f"signature rejected: {exc}") from exc
    except (ValidationError, ValueError) as exc:
        raise InvalidInput(f"not a Clerk user event: {exc}", code="WEBHOOK_INVALID") from exc
    await uow.commit()
    return Response(status_code=204)


def _user_id(data: dict[str, Any]) -> str:
    return _USER_ID.validate_python(data.get("id"))
