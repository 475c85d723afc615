"""The kernel's HTTP stack stays lean (decision 0024): no middleware of any service is a
Starlette `BaseHTTPMiddleware`, and a returned response model is serialised once."""

import importlib

import httpx
from fastapi import APIRouter
from pydantic import BaseModel, field_serializer, model_validator
from starlette.middleware.base import BaseHTTPMiddleware

from mentorship.services import SERVICES
from packs.config import Settings
from packs.main import create_app

calls = {"validated": 0, "serialised": 0}


class Counted(BaseModel):
    """Counts its validations (construction included) and its serialisations."""

    name: str

    @model_validator(mode="before")
    @classmethod
    def count_validation(cls, data: object) -> object:
        calls["validated"] += 1
        return data

    @field_serializer("name")
    def count_serialisation(self, name: str) -> str:
        calls["serialised"] += 1
        return name


def test_every_middleware_of_every_service_is_pure_asgi() -> None:
    for service in SERVICES:
        settings = importlib.import_module(f"{service.name}.config").Settings(dev_mode=True)
        app = importlib.import_module(f"{service.name}.main").create_app(settings)
        kinds = [middleware.cls for middleware in app.user_middleware]
        assert kinds, service.name
        assert not [k for k in kinds if issubclass(k, BaseHTTPMiddleware)], service.name


async def test_a_returned_response_model_is_not_validated_again_and_is_serialised_once() -> None:
    router = APIRouter()

    @router.get("/test/counted", response_model=Counted)
    async def counted() -> Counted:
        return Counted(name="n")

    app = create_app(Settings(dev_mode=True))
    app.include_router(router)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://packs") as client:
        calls.update(validated=0, serialised=0)
        answer = await client.get("/test/counted")
    assert answer.json() == {"name": "n"}
    assert calls == {"validated": 1, "serialised": 1}  # built by the route, dumped to bytes
