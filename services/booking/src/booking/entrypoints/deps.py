"""Dependencies of booking's routes besides the kernel's (`shared.http.deps`)."""

from typing import Annotated

from fastapi import Depends, Path, Request

from booking.service_layer.dependencies import Dependencies
from shared.auth import Role, User, require_role
from shared.types import Identifier


def _dependencies(request: Request) -> Dependencies:
    dependencies: Dependencies = request.app.state.booking
    return dependencies


Deps = Annotated[Dependencies, Depends(_dependencies)]
Participant = Annotated[User, require_role(Role.student, Role.mentor)]
"""A session's student or mentor (checked against the session by the use case)."""
MentorId = Annotated[Identifier, Path()]
