"""Dependencies of packs' routes besides the kernel's (`shared.http.deps`)."""

from typing import Annotated

from fastapi import Depends

from packs.service_layer.dependencies import Dependencies
from shared.http.deps import service_dependencies

Deps = Annotated[Dependencies, Depends(service_dependencies)]
