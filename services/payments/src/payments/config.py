"""Settings of the payments service (environment variables with the PAYMENTS_ prefix)."""

from decimal import Decimal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from payments.adapters.paypal_webhooks import PAYPAL_CERT_ORIGINS
from payments.domain.receipts import ReceiptTerms, Seller, TaxRate
from shared.links import DEV_PUBLIC_BASE_URL, link_or_default, through_gateway
from shared.settings import ServiceSettings

# The sandbox signs its events with this when no Stripe webhook secret is set (dev mode only).
SANDBOX_WEBHOOK_SECRET = "whsec_sandbox_dev_only"


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PAYMENTS_", extra="ignore")

    service_name: str = "payments"
    stripe_api_key: SecretStr = SecretStr("")
    stripe_webhook_secret: SecretStr = SecretStr("")
    stripe_api_base: str = Field("", description="empty: api.stripe.com (tests point it local)")
    paypal_client_id: SecretStr = SecretStr("")
    paypal_client_secret: SecretStr = SecretStr("")
    paypal_api_base: str = "https://api-m.sandbox.paypal.com"
    paypal_webhook_id: str = ""
    # Where PAYPAL-CERT-URL may point. PayPal's hosts; tests alone put a loopback origin here.
    paypal_cert_origins: tuple[str, ...] = PAYPAL_CERT_ORIGINS
    # The suite's public origin (the gateway): sandbox pages are at <it>/api/payments/...
    public_base_url: str = Field(
        DEV_PUBLIC_BASE_URL, description="the suite's public origin; every link starts here"
    )
    success_url: str = Field(
        "", description="default: <public_base_url>/checkout/{order_id}/success"
    )
    cancel_url: str = Field("", description="default: <public_base_url>/checkout/{order_id}/cancel")
    checkout_minutes: int = Field(30, ge=30, le=1440, description="Stripe allows 30 min to 24 h")
    hold_margin_minutes: int = Field(5, ge=0, le=60)
    job_batch_size: int = Field(100, gt=0)
    # In-process webhook processors; 0 leaves processing to the due job (another replica).
    webhook_workers: int = Field(2, ge=0, le=16)

    # Who issues the receipts, and the tax included in every price (none if unset).
    seller_name: str = Field("Mentorship", min_length=1, max_length=200)
    seller_address: str = Field("", max_length=500, description="lines separated by newlines")
    seller_tax_id: str = Field("", max_length=50, description="VAT or tax number, if any")
    tax_rate_percent: Decimal | None = Field(
        None, gt=0, le=100, description="included in the prices; unset: receipts show no tax"
    )
    tax_label: str = Field("VAT", min_length=1, max_length=40)

    @model_validator(mode="after")
    def _links_from_the_public_base_url(self) -> "Settings":
        base = self.public_base_url
        self.success_url = link_or_default(
            self.success_url, base_url=base, path="/checkout/{order_id}/success"
        )
        self.cancel_url = link_or_default(
            self.cancel_url, base_url=base, path="/checkout/{order_id}/cancel"
        )
        return self

    @property
    def public_api_url(self) -> str:
        """Where clients reach this service's own API: through the gateway's prefix."""
        return through_gateway(self.public_base_url, self.service_name)

    @property
    def receipt_terms(self) -> ReceiptTerms:
        tax = None
        if self.tax_rate_percent is not None:
            tax = TaxRate(self.tax_rate_percent, label=self.tax_label)
        return ReceiptTerms(
            Seller(self.seller_name, self.seller_address, self.seller_tax_id), tax=tax
        )

    def secret_values(self) -> dict[str, str]:
        """Both providers' keys must be real outside dev mode."""
        return {
            "PAYMENTS_STRIPE_API_KEY": self.stripe_api_key.get_secret_value(),
            "PAYMENTS_STRIPE_WEBHOOK_SECRET": self.stripe_webhook_secret.get_secret_value(),
            "PAYMENTS_PAYPAL_CLIENT_ID": self.paypal_client_id.get_secret_value(),
            "PAYMENTS_PAYPAL_CLIENT_SECRET": self.paypal_client_secret.get_secret_value(),
        }

    @property
    def webhook_secret(self) -> str:
        """The Stripe endpoint secret; in dev mode without one, the sandbox's."""
        secret = self.stripe_webhook_secret.get_secret_value()
        return secret or (SANDBOX_WEBHOOK_SECRET if self.dev_mode else "")

    @property
    def sandbox_enabled(self) -> bool:
        return self.dev_mode
