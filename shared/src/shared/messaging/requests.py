"""Request–reply between services: typed request and reply models, a timeout that raises."""

from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

from faststream.nats import NatsBroker
from nats.errors import NoRespondersError
from pydantic import BaseModel, ValidationError

from shared.errors import DomainError
from shared.logging import get_logger
from shared.messaging.metrics import REQUESTS_SERVED
from shared.messaging.stream import subject_for

log = get_logger(__name__)

Req = TypeVar("Req", bound=BaseModel)
Rep = TypeVar("Rep", bound=BaseModel)


class RequestFailed(Exception):
    """The other service did not answer: a 503 at the HTTP edge."""

    code = "UPSTREAM_UNAVAILABLE"

    def __init__(self, subject: str, reason: str) -> None:
        super().__init__(f"{subject}: {reason}")
        self.subject = subject
        self.reason = reason


class RequestTimeout(RequestFailed):
    code = "UPSTREAM_TIMEOUT"


class RemoteError(Exception):
    """The other service answered with a refusal carrying a stable code."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


class ReplyError(BaseModel):
    code: str
    detail: str = ""


class Reply(BaseModel, Generic[Rep]):
    ok: bool
    data: Rep | None = None
    error: ReplyError | None = None


class Requester:
    """Sends typed requests with one timeout policy."""

    def __init__(self, *, broker: NatsBroker, namespace: str, timeout: float) -> None:
        self._broker = broker
        self._namespace = namespace
        self._timeout = timeout

    async def request(
        self, subject: str, payload: BaseModel, reply_model: type[Rep], *, timeout: float | None = None
    ) -> Rep:
        """The typed reply; raises RemoteError for a refusal, RequestFailed when nobody answers."""
        try:
            response = await self._broker.request(
                payload.model_dump_json().encode(),
                subject_for(self._namespace, subject),
                timeout=timeout or self._timeout,
            )
        except TimeoutError as exc:
            raise RequestTimeout(subject, f"no reply within {timeout or self._timeout}s") from exc
        except NoRespondersError as exc:
            raise RequestFailed(subject, "no service is listening") from exc
        reply = Reply[reply_model].model_validate_json(response.body)  # type: ignore[valid-type]
        if not reply.ok or reply.data is None:
            error = reply.error or ReplyError(code="INTERNAL", detail="empty reply")
            raise RemoteError(error.code, error.detail)
        return reply.data


def responder(
    broker: NatsBroker, *, namespace: str, subject: str, request_model: type[Req], queue: str
) -> Callable[[Callable[[Req], Awaitable[BaseModel]]], Callable[[Req], Awaitable[BaseModel]]]:
    """Serve `subject` with `handler(request) -> reply model`; replicas share the queue group.

    Bad input and domain refusals come back as typed error replies, never as silence.
    """

    def register(handler: Callable[[Req], Awaitable[BaseModel]]):
        @broker.subscriber(subject_for(namespace, subject), queue=queue, title=subject)
        async def serve(body: object) -> bytes:
            message = broker.context.get_local("message")
            return (await answer(handler, request_model, message.body, subject)).encode()

        return handler

    return register


async def answer(
    handler: Callable[[Any], Awaitable[BaseModel]], request_model: type[BaseModel], body: bytes,
    subject: str,
) -> str:
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
        return _error("INTERNAL", "the service failed to answer; try again")
    REQUESTS_SERVED.labels(subject, "ok").inc()
    return '{"ok":true,"data":' + result.model_dump_json() + "}"


def _error(code: str, detail: str) -> str:
    return Reply[BaseModel](ok=False, error=ReplyError(code=code, detail=detail)).model_dump_json()
