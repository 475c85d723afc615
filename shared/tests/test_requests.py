"""Request–reply: typed replies, typed refusals, and a timeout that never hangs."""

import time

import nats
import pytest
from pydantic import BaseModel

from shared.errors import DomainError
from shared.messaging import RemoteError, RequestFailed, RequestTimeout


class Ping(BaseModel):
    n: int


class Pong(BaseModel):
    n: int


def serving(bus) -> None:
    @bus.responder("kernel.ping", Ping)
    async def ping(request: Ping) -> Pong:
        if request.n < 0:
            raise DomainError("negative", code="NEGATIVE")
        if request.n == 13:
            raise ConnectionRefusedError("its database is away")
        return Pong(n=request.n + 1)


async def test_a_request_gets_its_typed_reply(make_bus):
    bus = make_bus(register=serving)
    await bus.start()
    assert await bus.requester.request("kernel.ping", Ping(n=1), Pong) == Pong(n=2)


async def test_a_refusal_comes_back_as_a_typed_error_with_its_code(make_bus):
    bus = make_bus(register=serving)
    await bus.start()
    with pytest.raises(RemoteError) as refused:
        await bus.requester.request("kernel.ping", Ping(n=-1), Pong)
    assert refused.value.code == "NEGATIVE"


async def test_a_responder_that_crashes_is_unavailable_not_a_refusal(make_bus):
    bus = make_bus(register=serving)
    await bus.start()
    with pytest.raises(RequestFailed) as failed:  # a 503 with Retry-After at the HTTP edge
        await bus.requester.request("kernel.ping", Ping(n=13), Pong)
    assert not isinstance(failed.value, RemoteError)
    assert "try again" in failed.value.reason


async def test_bad_request_payload_is_refused_as_invalid_request(make_bus):
    class Wrong(BaseModel):
        n: str

    bus = make_bus(register=serving)
    await bus.start()
    with pytest.raises(RemoteError) as refused:
        await bus.requester.request("kernel.ping", Wrong(n="x"), Pong)
    assert refused.value.code == "INVALID_REQUEST"


async def test_a_service_that_does_not_answer_times_out_within_its_limit(
    make_bus, nats_url, namespace
):
    async def never_answer(message) -> None:
        pass

    silent = await nats.connect(nats_url)
    await silent.subscribe(f"{namespace}.kernel.silent", cb=never_answer)
    bus = make_bus()
    await bus.start()
    started = time.monotonic()
    with pytest.raises(RequestTimeout):
        await bus.requester.request("kernel.silent", Ping(n=1), Pong, timeout=0.3)
    assert time.monotonic() - started < 1.0
    await silent.close()


async def test_a_subject_nobody_serves_fails_fast(make_bus):
    bus = make_bus()
    await bus.start()
    started = time.monotonic()
    with pytest.raises(RequestFailed):
        await bus.requester.request("kernel.nobody", Ping(n=1), Pong, timeout=2.0)
    assert time.monotonic() - started < 1.0
