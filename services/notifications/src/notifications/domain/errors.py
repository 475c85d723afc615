"""Refusals of the notifications rules, each with a stable code."""

from shared.errors import Conflict, ErrorKind, InvalidInput, NotFound, Unavailable


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


class NotConfigured(Unavailable):
    code = "NOT_CONFIGURED"
