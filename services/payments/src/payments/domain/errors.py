"""Refusals of the payments rules, each with a stable code; HTTP statuses are mapped once."""

from shared.errors import (
    Conflict,
    DomainError,
    ErrorKind,
    Forbidden,
    InvalidInput,
    NotConfigured,
    NotFound,
)


class ProductNotFound(NotFound):
    code = "PRODUCT_NOT_FOUND"


class OrderNotFound(NotFound):
    code = "ORDER_NOT_FOUND"


class ProductInactive(Conflict):
    code = "PRODUCT_INACTIVE"


class OwnProduct(Forbidden):
    code = "OWN_PRODUCT"


class ProviderNotConfigured(NotConfigured):
    """The provider is not configured on this platform (or the sandbox outside dev mode)."""

    code = "PROVIDER_NOT_CONFIGURED"


class ProviderFailed(DomainError):
    """The provider's API refused or did not answer; the order was failed and its hold freed."""

    code = "PROVIDER_FAILED"
    kind = ErrorKind.unavailable


class IdempotencyKeyReused(InvalidInput):
    code = "IDEMPOTENCY_KEY_REUSED"


class PromoNotFound(InvalidInput):
    code = "PROMO_NOT_FOUND"


class PromoExpired(InvalidInput):
    code = "PROMO_EXPIRED"


class PromoExhausted(Conflict):
    code = "PROMO_EXHAUSTED"


class PromoNotApplicable(InvalidInput):
    """The code is scoped to another product or mentor."""

    code = "PROMO_NOT_APPLICABLE"


class CurrencyMismatch(InvalidInput):
    code = "CURRENCY_MISMATCH"


class DiscountTooLarge(InvalidInput):
    """A discount may not bring the price to zero: providers cannot charge nothing."""

    code = "DISCOUNT_TOO_LARGE"


class PromoExists(Conflict):
    code = "PROMO_EXISTS"


class OrderNotRefundable(Conflict):
    code = "ORDER_NOT_REFUNDABLE"


class RefundExceedsPaid(Conflict):
    code = "REFUND_EXCEEDS_PAID"


class OrderNotCapturable(Conflict):
    code = "ORDER_NOT_CAPTURABLE"


class WebhookRejected(DomainError):
    """A webhook that is not verifiably the provider's: nothing is stored."""

    code = "WEBHOOK_REJECTED"
    kind = ErrorKind.invalid  # answered 400 by the webhook routes, as providers expect


class PackUsageUnknown(Conflict):
    """A pro-rata refund needs the pack's use, which packs has not announced yet."""

    code = "PACK_USAGE_UNKNOWN"


class NothingToRefund(Conflict):
    code = "NOTHING_TO_REFUND"


class ReceiptNotFound(NotFound):
    """No such receipt, or not the caller's (a stranger is told the same)."""

    code = "RECEIPT_NOT_FOUND"
