"""Asking another service over NATS request–reply: typed reply, one timeout policy, typed errors."""

from typing import Generic, TypeVar

from faststream.nats import NatsBroker
from nats.errors import NoRespondersError
from pydantic import BaseModel

from shared.messaging.stream import subject_for

Rep = TypeVar("Rep", bound=BaseModel)


# What a responder answers when its handler crashed (shared.messaging.request_server).
FAILED_TO_ANSWER = "INTERNAL"


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
        self,
        subject: str,
        payload: BaseModel,
        reply_model: type[Rep],
        *,
        timeout: float | None = None,  # noqa: ASYNC109 - NATS request timeout, passed through
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
        # A type argument known only at run time: pydantic builds Reply[X] for the model given.
        reply_type: type[Reply[Rep]] = Reply[reply_model]  # type: ignore[valid-type]
        reply = reply_type.model_validate_json(response.body)
        if not reply.ok or reply.data is None:
            error = reply.error or ReplyError(code=FAILED_TO_ANSWER, detail="empty reply")
            if error.code == FAILED_TO_ANSWER:  # it crashed: unavailable, not a refusal
                raise RequestFailed(subject, error.detail)
            raise RemoteError(error.code, error.detail)
        return reply.data
