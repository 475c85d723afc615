"""Dependencies of video's routes besides the kernel's (`shared.http.deps`)."""

from typing import Annotated

from fastapi import Depends

from shared.http.deps import service_dependencies
from video.service_layer.ports import Dependencies

Deps = Annotated[Dependencies, Depends(service_dependencies)]
