"""Payments' HTTP routes, in the order they are documented; the sandbox only in dev mode."""

from fastapi import APIRouter

from payments.entrypoints import (
    api,
    checkout_api,
    oversight_api,
    promos_api,
    receipts_api,
    refunds_api,
    sandbox_api,
    webhooks_api,
)


def routers(*, sandbox: bool) -> list[APIRouter]:
    modules = [
        api,
        checkout_api,
        receipts_api,
        refunds_api,
        promos_api,
        webhooks_api,
        oversight_api,
    ]
    if sandbox:
        modules.append(sandbox_api)
    return [module.router for module in modules]
