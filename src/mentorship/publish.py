"""`mentorship publish`: put one domain event on the dev stack's JetStream, in the real envelope."""

import json
from urllib.parse import urlsplit

import nats
from nats.errors import Error as NatsError
from pydantic import ValidationError

from shared.messaging.events import EVENTS, Envelope
from shared.messaging.stream import stream_name, subject_for
from shared.settings import split_servers

PRODUCER = "mentorship-cli"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class PublishError(Exception):
    """The event cannot be published; the message says why and what to do."""


def build_envelope(subject: str, data: str, *, correlation_id: str | None = None) -> Envelope:
    """The envelope a producer would write: the payload validated against its contract."""
    model = EVENTS.get(subject)
    if model is None:
        raise PublishError(f"unknown subject {subject!r}; known: {', '.join(sorted(EVENTS))}")
    try:
        payload = model.model_validate(json.loads(data))
    except json.JSONDecodeError as exc:
        raise PublishError(f"the payload is not JSON: {exc}") from exc
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or '(payload)'}: {e['msg']}"
            for e in exc.errors(include_url=False, include_input=False)
        )
        raise PublishError(f"not a valid {subject} payload: {problems}") from exc
    return Envelope.wrap(payload, producer=PRODUCER, correlation_id=correlation_id)


def require_loopback(nats_url: str) -> list[str]:
    """Hand-made events are for the dev stack only: refuse any NATS off this machine. The
    servers of the URL (several, comma-separated, for a cluster)."""
    servers = split_servers(nats_url)
    for server in servers or [""]:
        if (urlsplit(server).hostname or "") not in LOOPBACK:
            raise PublishError(
                f"{server or nats_url!r} is not on this machine; publish is for the dev stack only"
            )
    return servers


async def publish_envelope(envelope: Envelope, *, nats_url: str, namespace: str = "") -> int:
    """Publish with `Nats-Msg-Id` = event id (JetStream dedupes a repeat); the stream sequence."""
    servers = require_loopback(nats_url)
    try:
        connection = await nats.connect(
            servers, connect_timeout=3, max_reconnect_attempts=0, allow_reconnect=False
        )
    except (OSError, NatsError) as exc:
        raise PublishError(f"cannot reach NATS at {nats_url}: is `make dev` running?") from exc
    try:
        ack = await connection.jetstream().publish(
            subject_for(namespace, envelope.type),
            envelope.model_dump_json().encode(),
            stream=stream_name(namespace),
            headers={"Nats-Msg-Id": str(envelope.id)},
            timeout=3,
        )
    except (TimeoutError, NatsError) as exc:
        raise PublishError(
            f"JetStream did not take the event ({exc!r}); the services create the stream "
            "when they start: is `make dev` running?"
        ) from exc
    finally:
        await connection.close()
    return ack.seq
