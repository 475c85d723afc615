"""The payments context as a route dependency (units of work and reads come from the kernel)."""

from typing import Annotated

from fastapi import Depends, Request

from payments.service_layer.context import Context


def _context(request: Request) -> Context:
    context: Context = request.app.state.payments
    return context


Ctx = Annotated[Context, Depends(_context)]
