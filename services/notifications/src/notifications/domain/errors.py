"""Refusals of the notifications rules, each with a stable code."""

from shared.errors import (
    Conflict,
    ErrorKind,
    InvalidInput,
    NotConfigured,
    NotFound,
    Unavailable,
)


class ContactNotFound(NotFound):
    code = "CONTACT_NOT_FOUND"


class DeliveryNotFound(NotFound):
    code = "DELIVERY_NOT_FOUND"


class NotRetryable(Conflict):
    code = "DELIVERY_NOT_RETRYABLE"


class BadWebhookSignature(InvalidInput):
    code = "WEBHOOK_SIGNATURE_INVALID"
    kind = ErrorKind.unauthorized


class BadOAuthState(InvalidInput):
    code = "OAUTH_STATE_INVALID"


class DiscordUnavailable(Unavailable):
    code = "DISCORD_UNAVAILABLE"


class DiscordNotConfigured(NotConfigured):
    """No Discord OAuth credentials here (NOTIFICATIONS_DISCORD_CLIENT_ID): no connecting."""

    code = "DISCORD_NOT_CONFIGURED"


class ClerkWebhooksNotConfigured(NotConfigured):
    """No Clerk signing secret here (NOTIFICATIONS_CLERK_WEBHOOK_SECRET): no Clerk events."""

    code = "CLERK_WEBHOOKS_NOT_CONFIGURED"
