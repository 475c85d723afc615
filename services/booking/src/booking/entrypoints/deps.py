"""Dependencies of booking's routes besides the kernel's (`shared.http.deps`)."""

from typing import Annotated

from fastapi import Depends, Path

from booking.service_layer.dependencies import Dependencies
from shared.auth import Role, User, require_role
from shared.http.deps import service_dependencies
from shared.types import Identifier

Deps = Annotated[Dependencies, Depends(service_dependencies)]
Participant = Annotated[User, require_role(Role.student, Role.mentor)]
"""A session's student or mentor (checked against the session by the use case)."""
MentorId = Annotated[Identifier, Path()]
