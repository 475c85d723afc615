"""Wires the packs use cases to the runtime's bus, responders and due jobs."""

from packs.config import Settings
from packs.entrypoints import jobs, responders, subscribers
from packs.service_layer.context import Context
from shared.runtime import Runtime


def bootstrap(runtime: Runtime, *, settings: Settings) -> Context:
    """Register everything packs serves; nothing connects until the runtime starts."""
    ctx = Context(clock=runtime.clock, outbox=runtime.bus.outbox, policy=settings.policy())
    subscribers.register(runtime.bus, ctx=ctx)
    responders.register(runtime, ctx=ctx)
    jobs.register(runtime, ctx=ctx, batch_size=settings.job_batch_size)
    return ctx
