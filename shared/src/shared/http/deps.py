"""The FastAPI dependencies every route uses: one way to reach the database and the caller.

async def route(body: XCreate, user: Student, uow: Uow) -> XRead:     # a write
    result = await use_case(cmd, uow=uow, deps=...)
    await uow.commit()
async def route(user: CurrentUser, db: ReadDb) -> XRead:             # a read
    return await views.thing(db, ...)

A service's own dependency object reaches its routes through one alias, declared once in its
`entrypoints/deps.py`:

Deps = Annotated[Dependencies, Depends(service_dependencies)]
"""

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Request

from shared.auth import Admin, CurrentUser, Role, User, require_role
from shared.db import DbConnection
from shared.runtime import Runtime
from shared.uow import UnitOfWork

__all__ = [
    "Admin",
    "CurrentUser",
    "Mentor",
    "ReadDb",
    "ServiceRuntime",
    "Student",
    "Uow",
    "runtime_of",
    "service_dependencies",
]


def runtime_of(request: Request) -> Runtime:
    """The service's runtime, set on the app by `create_http_app`."""
    runtime: Runtime = request.app.state.runtime
    return runtime


async def service_dependencies(request: Request) -> Any:  # typed by the service's `Deps` alias
    """The service's `Dependencies`, as given to `create_http_app(deps=...)`."""
    # async: FastAPI runs a plain `def` dependency in its thread pool, a hop on every request
    return request.app.state.deps


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


async def _runtime(request: Request) -> Runtime:  # async: no thread-pool hop per request
    return runtime_of(request)


ServiceRuntime = Annotated[Runtime, Depends(_runtime)]
"""The service's runtime, for operator routes that drive the bus (a rebuild asks owners)."""

Student = Annotated[User, require_role(Role.student)]
Mentor = Annotated[User, require_role(Role.mentor)]
