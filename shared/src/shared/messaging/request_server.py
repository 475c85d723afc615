"""Answering requests from other services: one handler per subject, typed error replies."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from pydantic import BaseModel, ValidationError

from shared.errors import DomainError
from shared.logging import get_logger
from shared.messaging.metrics import REQUESTS_SERVED
from shared.messaging.request_client import FAILED_TO_ANSWER, Reply, ReplyError
from shared.messaging.stream import subject_for

log = get_logger(__name__)

Req = TypeVar("Req", bound=BaseModel)
Rep = TypeVar("Rep", bound=BaseModel)
Handler = Callable[[Any], Awaitable[BaseModel]]


class RequestServer:
    """Serves request subjects on the broker's own NATS connection, in a queue group per service.

    Request–reply is core NATS; FastStream's subscriber pipeline added ~0.4 ms a request and
    nothing we use (bench/packs_reserve.py), so responders subscribe with nats-py directly.
    """

    def __init__(self, *, namespace: str, queue: str, concurrency: int = 8) -> None:
        self._namespace = namespace
        self._queue = queue
        self._concurrency = concurrency
        self._in_flight: set[asyncio.Task[None]] = set()
        self._handlers: dict[str, tuple[type[BaseModel], Handler]] = {}
        self._subscriptions: list[Subscription] = []

    def served(self) -> dict[str, type[BaseModel]]:
        """Each served subject (as on the wire) with its request model."""
        return {
            subject_for(self._namespace, subject): model
            for subject, (model, _) in self._handlers.items()
        }

    def handlers(self) -> dict[str, Handler]:
        """Each served subject (as on the wire) with its handler (for the AsyncAPI document)."""
        return {
            subject_for(self._namespace, subject): handler
            for subject, (_, handler) in self._handlers.items()
        }

    def register(
        self, subject: str, request_model: type[Req]
    ) -> Callable[[Callable[[Req], Awaitable[Rep]]], Callable[[Req], Awaitable[Rep]]]:
        """Serve `subject` with `handler(request) -> reply model`."""

        def decorate(handler: Callable[[Req], Awaitable[Rep]]) -> Callable[[Req], Awaitable[Rep]]:
            if subject in self._handlers:
                raise ValueError(f"{subject} has a responder already")
            self._handlers[subject] = (request_model, handler)
            return handler

        return decorate

    async def start(self, connection: NATS) -> None:
        # nats-py runs one callback at a time per subscription: each callback starts the work
        # as a task and returns, up to `concurrency` requests in flight per process.
        slots = asyncio.Semaphore(self._concurrency)
        for subject, (request_model, handler) in self._handlers.items():

            async def serve(
                message: Msg, subject: str, model: type[BaseModel], handler: Handler
            ) -> None:
                try:
                    response = await answer(handler, model, message.data, subject)
                    await message.respond(response.encode())
                finally:
                    slots.release()

            async def reply(
                message: Msg,
                subject: str = subject,
                model: type[BaseModel] = request_model,
                handler: Handler = handler,
            ) -> None:
                await slots.acquire()
                task = asyncio.create_task(serve(message, subject, model, handler))
                self._in_flight.add(task)
                task.add_done_callback(self._in_flight.discard)

            self._subscriptions.append(
                await connection.subscribe(
                    subject_for(self._namespace, subject), queue=self._queue, cb=reply
                )
            )

    async def stop(self) -> None:
        for subscription in self._subscriptions:
            try:
                await subscription.unsubscribe()
            except Exception:  # the connection may be gone already
                pass
        self._subscriptions = []
        if self._in_flight:
            await asyncio.gather(*self._in_flight, return_exceptions=True)


async def answer(
    handler: Callable[[Any], Awaitable[BaseModel]],
    request_model: type[BaseModel],
    body: bytes,
    subject: str,
) -> str:
    """The reply to one request; bad input and refusals are typed error replies, never silence."""
    try:
        request = request_model.model_validate_json(body)
    except ValidationError as exc:
        REQUESTS_SERVED.labels(subject, "invalid").inc()
        return _error("INVALID_REQUEST", str(exc.errors(include_url=False)))
    try:
        result = await handler(request)
    except DomainError as exc:
        REQUESTS_SERVED.labels(subject, "refused").inc()
        return _error(exc.code, exc.detail)
    except Exception:
        log.exception("request.failed", subject=subject)
        REQUESTS_SERVED.labels(subject, "error").inc()
        return _error(FAILED_TO_ANSWER, "the service failed to answer; try again")
    REQUESTS_SERVED.labels(subject, "ok").inc()
    return '{"ok":true,"data":' + result.model_dump_json() + "}"


def _error(code: str, detail: str) -> str:
    return Reply[BaseModel](ok=False, error=ReplyError(code=code, detail=detail)).model_dump_json()
