"""The AsyncAPI 3.0 document of a service: events it sends and receives, requests it serves.

Payload schemas come from the contracts themselves (`shared.messaging.events`, the request and
reply models), so the document cannot drift from what travels on the wire.
"""

import re
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from shared.messaging.events import EVENTS, PRODUCERS, Envelope, Event
from shared.messaging.stream import subject_for

if typing.TYPE_CHECKING:
    from shared.runtime import Runtime

SCHEMA_REF = "#/components/schemas/{model}"


@dataclass(frozen=True)
class RequestContract:
    """A request subject this service answers, with its request and reply models."""

    subject: str  # as on the wire (namespaced)
    request: type[BaseModel]
    reply: type[BaseModel] | None


def reply_model_of(handler: Callable[..., Any]) -> type[BaseModel] | None:
    """The reply model a responder's return annotation names, if it names one."""
    try:
        returned = typing.get_type_hints(handler).get("return")
    except Exception:  # an annotation that cannot be resolved documents nothing
        return None
    return returned if isinstance(returned, type) and issubclass(returned, BaseModel) else None


def build_document(
    *,
    title: str,
    service: str,
    nats_url: str,
    namespace: str,
    consumers: Mapping[str, type[Event]],
    requests: Iterable[RequestContract],
) -> dict[str, Any]:
    """The document: `consumers` maps a durable consumer's name to the event type it handles."""
    requests = list(requests)
    sent = [model for subject, model in EVENTS.items() if PRODUCERS[subject] == service]
    events = {model.__name__: model for model in [*sent, *consumers.values()]}
    schemas = _schemas([Envelope, *events.values(), *_request_models(requests)])
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for name, model in sorted(events.items()):
        channel = _channel_id(model.subject)
        messages[name] = _event_message(model)
        channels[channel] = {
            "address": subject_for(namespace, model.subject),
            "title": model.subject,
            "description": (model.__doc__ or "").strip() or f"{model.subject} (JetStream)",
            "messages": {name: {"$ref": f"#/components/messages/{name}"}},
        }
    for model in sent:
        operations[f"send_{_channel_id(model.subject)}"] = _operation(
            "send", model, f"{service} publishes it from its outbox after commit"
        )
    for consumer, model in sorted(consumers.items()):
        operations[_channel_id(consumer)] = _operation(
            "receive", model, f"durable consumer {consumer}; applied once per event id (inbox)"
        )
    for contract in requests:
        _add_request(contract, channels=channels, operations=operations, messages=messages)
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": f"{title} events",
            "version": "1.0.0",
            "description": (
                "Events travel on JetStream wrapped in an envelope (id = Nats-Msg-Id, type, "
                "version, occurred_at, producer, correlation_id, causation_id, data). "
                "Requests are core NATS request-reply; replies are {ok, data | error}."
            ),
        },
        "defaultContentType": "application/json",
        "servers": {"nats": {"host": _host_of(nats_url), "protocol": "nats"}},
        "channels": channels,
        "operations": operations,
        "components": {"schemas": schemas, "messages": messages},
    }


def _request_models(requests: list[RequestContract]) -> list[type[BaseModel]]:
    models: list[type[BaseModel]] = []
    for contract in requests:
        models += [contract.request] + ([contract.reply] if contract.reply else [])
    return models


def _schemas(models: list[type[BaseModel]]) -> dict[str, Any]:
    unique = list(dict.fromkeys(models))
    _, top = models_json_schema([(m, "validation") for m in unique], ref_template=SCHEMA_REF)
    return dict(top.get("$defs", {}))


def _event_message(model: type[Event]) -> dict[str, Any]:
    ref = {"$ref": SCHEMA_REF.format(model=model.__name__)}
    return {
        "name": model.subject,
        "title": model.__name__,
        "payload": {
            "allOf": [
                {"$ref": SCHEMA_REF.format(model="Envelope")},
                {
                    "type": "object",
                    "properties": {
                        "type": {"const": model.subject},
                        "version": {"const": model.version},
                        "data": ref,
                    },
                },
            ]
        },
    }


def _operation(action: str, model: type[Event], description: str) -> dict[str, Any]:
    channel = _channel_id(model.subject)
    return {
        "action": action,
        "description": description,
        "channel": {"$ref": f"#/channels/{channel}"},
        "messages": [{"$ref": f"#/channels/{channel}/messages/{model.__name__}"}],
    }


def _add_request(
    contract: RequestContract,
    *,
    channels: dict[str, Any],
    operations: dict[str, Any],
    messages: dict[str, Any],
) -> None:
    channel = _channel_id(contract.subject)
    request_name = f"{channel}_request"
    channel_messages = {"request": {"$ref": f"#/components/messages/{request_name}"}}
    messages[request_name] = {
        "name": contract.request.__name__,
        "payload": {"$ref": SCHEMA_REF.format(model=contract.request.__name__)},
    }
    operation: dict[str, Any] = {
        "action": "receive",
        "description": "request-reply in this service's queue group",
        "channel": {"$ref": f"#/channels/{channel}"},
        "messages": [{"$ref": f"#/channels/{channel}/messages/request"}],
    }
    if contract.reply is not None:
        reply_name = f"{channel}_reply"
        channel_messages["reply"] = {"$ref": f"#/components/messages/{reply_name}"}
        messages[reply_name] = {
            "name": f"Reply[{contract.reply.__name__}]",
            "payload": _reply(contract.reply),
        }
        operation["reply"] = {"messages": [{"$ref": f"#/channels/{channel}/messages/reply"}]}
    channels[channel] = {
        "address": contract.subject,
        "title": contract.subject,
        "description": "request-reply; a refusal is {ok: false, error: {code, detail}}",
        "messages": channel_messages,
    }
    operations[f"serve_{channel}"] = operation


def _reply(model: type[BaseModel]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["ok"],
        "properties": {
            "ok": {"type": "boolean"},
            "data": {"$ref": SCHEMA_REF.format(model=model.__name__)},
            "error": {
                "type": "object",
                "required": ["code"],
                "properties": {"code": {"type": "string"}, "detail": {"type": "string"}},
            },
        },
    }


def _channel_id(name: str) -> str:
    """AsyncAPI 3 ids are [A-Za-z0-9_-]: `payment.succeeded` -> `payment_succeeded`."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", name)


def _host_of(nats_url: str) -> str:
    """host:port of the first server, never its credentials."""
    first = urlsplit(nats_url.split(",")[0].strip())
    return f"{first.hostname or '127.0.0.1'}:{first.port or 4222}"


def service_document(runtime: "Runtime", *, title: str) -> dict[str, Any]:
    """The document of a running (or merely built) service, from what it registered."""
    bus = runtime.bus
    served = bus.responders.served()
    handlers = bus.responders.handlers()
    return build_document(
        title=title,
        service=runtime.service,
        nats_url=runtime.settings.nats_url,
        namespace=bus.namespace,
        consumers={name: c.event_type for name, c in bus.consumers.by_name.items()},
        requests=[
            RequestContract(subject, model, reply_model_of(handlers[subject]))
            if subject in handlers
            else RequestContract(subject, model, None)
            for subject, model in served.items()
        ],
    )
