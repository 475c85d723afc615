"""Dependencies of the notifications routes, beside the kernel's (`Uow`, `ReadDb`, users)."""

from typing import Annotated

from fastapi import Depends, Path, Request

from notifications.bootstrap import Notifications
from shared.auth import User
from shared.errors import Forbidden


def _notifications(request: Request) -> Notifications:
    service: Notifications = request.app.state.notifications
    return service


Service = Annotated[Notifications, Depends(_notifications)]
UserIdPath = Annotated[str, Path(min_length=1, max_length=100, pattern=r"^[^\s\x00-\x1f\x7f]+$")]


def may_manage(user: User, user_id: str) -> None:
    """Only the user themself or an admin."""
    if not (user.is_admin or user.id == user_id):
        raise Forbidden("only this user or an admin may do this")
