"""FastAPI dependencies every service uses."""

from fastapi import Request

from shared.runtime import Runtime


def runtime_of(request: Request) -> Runtime:
    """The service's runtime, set on the app by `create_app`."""
    return request.app.state.runtime
