"""Messaging kernel: envelope and contracts, outbox, inbox, consumers, dead letters, requests."""

from shared.messaging.bus import MessageBus, make_broker
from shared.messaging.events import EVENTS, Envelope, Event
from shared.messaging.request_client import RemoteError, RequestFailed, RequestTimeout

__all__ = [
    "EVENTS",
    "Envelope",
    "Event",
    "MessageBus",
    "RemoteError",
    "RequestFailed",
    "RequestTimeout",
    "make_broker",
]
