"""Refusals of the notifications rules, each with a stable code."""

from shared.errors import DomainError, Forbidden, InvalidInput, NotFound


class ContactNotFound(NotFound):
    code = "CONTACT_NOT_FOUND"


class DeliveryNotFound(NotFound):
    code = "DELIVERY_NOT_FOUND"


class NotRetryable(DomainError):
    code = "DELIVERY_NOT_RETRYABLE"
    status = 409


class NotYourContact(Forbidden):
    code = "FORBIDDEN"


class BadWebhookSignature(DomainError):
    code = "WEBHOOK_SIGNATURE_INVALID"
    status = 400


class BadOAuthState(InvalidInput):
    code = "OAUTH_STATE_INVALID"
    status = 400


class DiscordUnavailable(DomainError):
    code = "DISCORD_UNAVAILABLE"
    status = 502


class NotConfigured(DomainError):
    code = "NOT_CONFIGURED"
    status = 503
