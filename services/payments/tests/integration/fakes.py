"""Loopback stand-ins for payments' neighbours: packs' seat-hold responder on real NATS and
Stripe's HTTP API on a local server that records every request."""

import json
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qsl

import nats

from shared.messaging import packs_requests as contract
from shared.messaging.stream import subject_for
from shared.testing.fake_http import JsonHandler, serve_in_thread


class PacksStandIn:
    """Answers `packs.seat.hold` on real NATS: held, a refusal with a code, or silence."""

    def __init__(self, nats_url: str, namespace: str) -> None:
        self._nats_url = nats_url
        self._namespace = namespace
        self.refusal: str | None = None
        self.silent = False
        self.requests: list[contract.SeatHoldRequest] = []
        self._nc = None

    async def start(self) -> "PacksStandIn":
        self._nc = await nats.connect(self._nats_url)
        await self._nc.subscribe(subject_for(self._namespace, contract.SEAT_HOLD), cb=self._on)
        return self

    async def _on(self, message) -> None:
        request = contract.SeatHoldRequest.model_validate_json(message.data)
        self.requests.append(request)
        if self.silent:
            return
        if self.refusal:
            reply = {"ok": False, "error": {"code": self.refusal, "detail": "refused by packs"}}
        else:
            data = contract.SeatHoldReply(
                order_id=request.order_id,
                seat_id=request.order_id,
                outcome="held",
                held_until=request.hold_until,
            )
            reply = {"ok": True, "data": json.loads(data.model_dump_json())}
        await message.respond(json.dumps(reply).encode())

    async def stop(self) -> None:
        if self._nc is not None:
            await self._nc.close()


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    form: dict[str, str]


@dataclass
class FakeStripe:
    """A loopback HTTP server answering Stripe's checkout-session and refund endpoints."""

    requests: list[RecordedRequest] = field(default_factory=list)
    fail_with: int | None = None
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeStripe":
        stripe = self

        class Handler(JsonHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
                stripe.requests.append(
                    RecordedRequest(
                        "POST", self.path, {k.lower(): v for k, v in self.headers.items()}, form
                    )
                )
                if stripe.fail_with:
                    self.answer(
                        stripe.fail_with, {"error": {"type": "api_error", "message": "down"}}
                    )
                elif self.path == "/v1/checkout/sessions":
                    n = len(stripe.requests)
                    self.answer(
                        200,
                        {
                            "id": f"cs_test_{n}",
                            "object": "checkout.session",
                            "url": f"https://checkout.stripe.com/c/pay/cs_test_{n}",
                        },
                    )
                elif self.path == "/v1/refunds":
                    self.answer(200, {"id": f"re_test_{len(stripe.requests)}", "object": "refund"})
                else:
                    self.answer(404, {"error": {"type": "invalid_request_error"}})

        self._server = serve_in_thread(Handler)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def of_path(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == path]
