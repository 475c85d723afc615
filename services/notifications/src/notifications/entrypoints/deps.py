"""Dependencies of the notifications routes: the context, a unit of work, the paging."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Path, Request

from notifications.bootstrap import Notifications
from shared.auth import User
from shared.errors import Forbidden
from shared.uow import UnitOfWork


def _notifications(request: Request) -> Notifications:
    return request.app.state.notifications


async def _unit_of_work(request: Request) -> AsyncIterator[UnitOfWork]:
    async with request.app.state.runtime.uow() as uow:
        yield uow


Service = Annotated[Notifications, Depends(_notifications)]
Uow = Annotated[UnitOfWork, Depends(_unit_of_work)]
UserIdPath = Annotated[str, Path(min_length=1, max_length=100, pattern=r"^[^\s\x00-\x1f\x7f]+$")]


def may_manage(user: User, user_id: str) -> None:
    """Only the user themself or an admin."""
    if not (user.is_admin or user.id == user_id):
        raise Forbidden("only this user or an admin may do this")
