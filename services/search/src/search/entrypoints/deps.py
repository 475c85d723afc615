"""Dependencies of search's routes besides the kernel's (`shared.http.deps`)."""

from typing import Annotated

from fastapi import Depends

from search.service_layer.dependencies import Dependencies
from shared.http.deps import service_dependencies

Deps = Annotated[Dependencies, Depends(service_dependencies)]
