"""Dependencies of booking's routes besides the kernel's (`shared.http.deps`)."""

from typing import Annotated

from fastapi import Depends, Header, Path, Request
from fastapi.security import HTTPAuthorizationCredentials

from booking.service_layer.dependencies import Dependencies
from shared.auth import Role, Unauthorized, User, current_user, require_role
from shared.http.deps import service_dependencies
from shared.types import Identifier

Deps = Annotated[Dependencies, Depends(service_dependencies)]
Participant = Annotated[User, require_role(Role.student, Role.mentor)]
"""A session's student or mentor (checked against the session by the use case)."""
MentorId = Annotated[Identifier, Path()]


async def caller_if_any(
    request: Request,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> User | None:
    """The verified caller of a public read, or None: no token, or one that does not verify
    (a public read ignores it, as the authorization table says of `anyone`)."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    credentials = HTTPAuthorizationCredentials(scheme="Bearer", credentials=token.strip())
    try:
        return await current_user(request, credentials)
    except Unauthorized:
        return None


Reader = Annotated[User | None, Depends(caller_if_any)]
"""Whoever reads a public route, if they sent a valid token."""
