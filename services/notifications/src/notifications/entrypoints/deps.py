"""Dependencies of the notifications routes, beside the kernel's (`Uow`, `ReadDb`, users)."""

from typing import Annotated

from fastapi import Depends, Path

from notifications.service_layer.dependencies import Dependencies
from shared.auth import Role, User
from shared.errors import Forbidden
from shared.http.deps import service_dependencies

Deps = Annotated[Dependencies, Depends(service_dependencies)]
UserIdPath = Annotated[str, Path(min_length=1, max_length=100, pattern=r"^[^\s\x00-\x1f\x7f]+$")]


def may_manage(user: User, user_id: str, *, role: Role | None = None) -> None:
    """Only the user themself (of `role`, if given) or an admin."""
    if not user.acts_for(user_id):
        raise Forbidden("only this user or an admin may do this")
    if not user.acts_for(user_id, role=role):
        raise Forbidden(f"only a {role} or an admin may do this")
