"""/asyncapi.json is a valid AsyncAPI 3.0 document that covers the whole event catalog."""

import importlib
import json
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from mentorship.services import SERVICES, Service
from shared.messaging.events import EVENTS, PRODUCERS
from shared.messaging.packs_requests import CREDIT_RESERVE, CreditReserveReply

SCHEMA = Path(__file__).resolve().parents[2] / "tests" / "schemas" / "asyncapi-3.0.0.json"
by_name = pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)


async def document_of(service: Service) -> dict[str, Any]:
    settings = importlib.import_module(f"{service.name}.config").Settings(
        dev_mode=True, nats_url="nats://user:hunter2@nats.internal:4222"
    )
    app = importlib.import_module(f"{service.name}.main").create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
        response = await client.get("/asyncapi.json")
    assert response.status_code == 200, response.text
    return response.json()


def resolve(document: dict[str, Any], ref: str) -> Any:
    """The node a local `$ref` points at, following references to references."""
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return resolve(document, node["$ref"]) if isinstance(node, dict) and "$ref" in node else node


def local_refs(node: Any):
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from local_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from local_refs(value)


@by_name
async def test_each_service_document_validates_against_the_asyncapi_3_schema(service) -> None:
    document = await document_of(service)
    jsonschema.Draft7Validator(json.loads(SCHEMA.read_text())).validate(document)
    for ref in local_refs(document):
        assert ref.startswith("#/"), ref
        resolve(document, ref)  # KeyError if it points nowhere
    assert "hunter2" not in json.dumps(document)
    assert document["servers"]["nats"]["host"] == "nats.internal:4222"


async def test_the_documents_together_cover_every_subject_of_the_catalog() -> None:
    assert set(PRODUCERS.values()) <= {s.name for s in SERVICES}
    sent: dict[str, str] = {}
    for service in SERVICES:
        document = await document_of(service)
        for operation in document["operations"].values():
            if operation["action"] == "send":
                channel = resolve(document, operation["channel"]["$ref"])
                sent[channel["address"]] = service.name
    assert sent == {subject: PRODUCERS[subject] for subject in EVENTS}


async def test_an_event_message_carries_the_envelope_and_the_payload_fields() -> None:
    document = await document_of(next(s for s in SERVICES if s.name == "packs"))
    message = document["components"]["messages"]["PaymentSucceeded"]
    envelope, specific = message["payload"]["allOf"]
    assert set(resolve(document, envelope["$ref"])["required"]) >= {"id", "type", "data"}
    assert specific["properties"]["type"] == {"const": "payment.succeeded"}
    data = resolve(document, specific["properties"]["data"]["$ref"])
    assert set(data["properties"]) == set(EVENTS["payment.succeeded"].model_fields)
    received = [op for op in document["operations"].values() if op["action"] == "receive"]
    assert any(op["channel"]["$ref"] == "#/channels/payment_succeeded" for op in received)


async def test_a_served_request_lists_its_request_and_reply_schemas() -> None:
    document = await document_of(next(s for s in SERVICES if s.name == "packs"))
    (channel_id,) = [k for k, c in document["channels"].items() if c["address"] == CREDIT_RESERVE]
    operation = document["operations"][f"serve_{channel_id}"]
    request = resolve(document, operation["messages"][0]["$ref"])
    assert resolve(document, request["payload"]["$ref"])["properties"]["session_id"]
    reply = resolve(document, operation["reply"]["messages"][0]["$ref"])
    data = resolve(document, reply["payload"]["properties"]["data"]["$ref"])
    assert set(data["properties"]) == set(CreditReserveReply.model_fields)
