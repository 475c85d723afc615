"""The FastAPI dependencies every route uses: one way to reach the database and the caller.

async def route(body: XCreate, user: Student, uow: Uow) -> XRead:     # a write
    result = await use_case(cmd, uow=uow, deps=...)
    await uow.commit()
async def route(user: CurrentUser, db: ReadDb) -> XRead:             # a read
    return await views.thing(db, ...)
"""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request

from shared.auth import CurrentUser, Role, User, require_role
from shared.db import DbConnection
from shared.runtime import Runtime
from shared.uow import UnitOfWork

__all__ = [
    "Admin",
    "CurrentUser",
    "Mentor",
    "ReadDb",
    "Student",
    "Uow",
    "runtime_of",
]


def runtime_of(request: Request) -> Runtime:
    """The service's runtime, set on the app by `create_app`."""
    runtime: Runtime = request.app.state.runtime
    return runtime


async def _unit_of_work(request: Request) -> AsyncIterator[UnitOfWork]:
    async with runtime_of(request).uow() as uow:
        yield uow


async def _read_connection(request: Request) -> AsyncIterator[DbConnection]:
    async with runtime_of(request).connection_factory() as connection:
        yield connection


Uow = Annotated[UnitOfWork, Depends(_unit_of_work)]
"""A unit of work for a write: the route calls the use case, then `await uow.commit()`."""

ReadDb = Annotated[DbConnection, Depends(_read_connection)]
"""A connection for reads through a views adapter; nothing it does is committed."""

Student = Annotated[User, require_role(Role.student)]
Mentor = Annotated[User, require_role(Role.mentor)]
Admin = Annotated[User, require_role(Role.admin)]
