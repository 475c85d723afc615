"""Dependencies of payments' routes: the context, a unit of work, a read connection."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request

from payments.service_layer.context import Context
from shared.db import DbSession
from shared.uow import UnitOfWork


def _context(request: Request) -> Context:
    return request.app.state.payments


async def _unit_of_work(request: Request) -> AsyncIterator[UnitOfWork]:
    async with request.app.state.runtime.uow() as uow:
        yield uow


async def _read_db(request: Request) -> AsyncIterator[DbSession]:
    async with request.app.state.runtime.session_factory() as session:
        yield session


Ctx = Annotated[Context, Depends(_context)]
Uow = Annotated[UnitOfWork, Depends(_unit_of_work)]
ReadDb = Annotated[DbSession, Depends(_read_db)]
