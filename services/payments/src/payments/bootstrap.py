"""Wires payments' use cases to the runtime: providers, packs, subscribers, due jobs."""

from datetime import timedelta

from payments.adapters import stripe_gateway
from payments.adapters.paypal import PayPalOrders
from payments.adapters.paypal_webhooks import PayPalVerifier
from payments.adapters.providers import CheckoutProvider
from payments.adapters.sandbox import SandboxCheckout
from payments.adapters.seat_holds import PacksSeatHolds
from payments.adapters.webhook_intake import BatchedWebhookIntake
from payments.adapters.webhook_queue import WebhookQueue
from payments.config import Settings
from payments.domain.model import Provider
from payments.entrypoints import jobs, product_snapshot, subscribers
from payments.entrypoints.webhook_worker import WebhookWorker
from payments.service_layer.dependencies import Dependencies
from shared.runtime import Runtime


def providers_of(settings: Settings) -> dict[Provider, CheckoutProvider]:
    """The providers with keys; the sandbox in dev mode."""
    found: dict[Provider, CheckoutProvider] = {}
    if settings.stripe_api_key.get_secret_value():
        client = stripe_gateway.make_client(
            api_key=settings.stripe_api_key.get_secret_value(), api_base=settings.stripe_api_base
        )
        found[Provider.stripe] = stripe_gateway.StripeCheckout(
            client, success_url=settings.success_url, cancel_url=settings.cancel_url
        )
    if settings.paypal_client_id.get_secret_value():
        found[Provider.paypal] = PayPalOrders(
            api_base=settings.paypal_api_base,
            client_id=settings.paypal_client_id.get_secret_value(),
            client_secret=settings.paypal_client_secret.get_secret_value(),
            return_url=settings.success_url,
            cancel_url=settings.cancel_url,
        )
    if settings.sandbox_enabled:
        found[Provider.sandbox] = SandboxCheckout(
            public_base_url=settings.public_api_url, link_secret=settings.webhook_secret
        )
    return found


def bootstrap(
    runtime: Runtime,
    *,
    settings: Settings,
    providers: dict[Provider, CheckoutProvider] | None = None,
) -> tuple[Dependencies, WebhookWorker]:
    """Register everything payments serves; nothing connects until the runtime starts."""
    deps = Dependencies(
        settings=settings,
        clock=runtime.clock,
        uow=runtime.uow,
        seat_holds=PacksSeatHolds(runtime.bus.requester),
        providers=providers_of(settings) if providers is None else providers,
        paypal_verifier=PayPalVerifier(
            webhook_id=settings.paypal_webhook_id, allowed_origins=settings.paypal_cert_origins
        ),
        webhooks=WebhookQueue(enabled=settings.webhook_workers > 0),
        webhook_intake=BatchedWebhookIntake(runtime.connection_factory),
        checkout_lifetime=timedelta(minutes=settings.checkout_minutes),
        hold_margin=timedelta(minutes=settings.hold_margin_minutes),
        receipt_terms=settings.receipt_terms,
    )
    worker = WebhookWorker(
        deps=deps, batch_size=settings.job_batch_size, concurrency=settings.webhook_workers
    )
    subscribers.register(runtime.bus, deps=deps)
    product_snapshot.register(runtime.bus)  # snapshot.product, for search (decision 0006)
    jobs.register(runtime, deps=deps, worker=worker, batch_size=settings.job_batch_size)
    return deps, worker
