"""Payments' dependency object as a route dependency (units of work and reads: the kernel's)."""

from typing import Annotated

from fastapi import Depends

from payments.service_layer.dependencies import Dependencies
from shared.http.deps import service_dependencies

Deps = Annotated[Dependencies, Depends(service_dependencies)]
