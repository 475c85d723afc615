"""Stand-ins for the owners of the directory's facts, serving their snapshots over real NATS.

They answer `snapshot.mentor`, `snapshot.mentor_capacity` and `snapshot.product` through
the kernel's RequestServer with the kernel's page and cursor types, from facts the test
gives them: exactly what booking, packs and payments serve (decision 0006).
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

import nats

from shared.messaging.events import Envelope, Event
from shared.messaging.request_server import RequestServer
from shared.messaging.snapshots import (
    SnapshotPage,
    SnapshotRequest,
    decode_cursor,
    encode_cursor,
    snapshot_subject,
)

AGGREGATES = ("mentor", "mentor_capacity", "product")


@dataclass
class FakeOwners:
    nats_url: str
    namespace: str
    # aggregate -> key (mentor or product id) -> facts of that aggregate
    facts: dict[str, dict[str, list[tuple[Event, datetime]]]] = field(
        default_factory=lambda: {aggregate: {} for aggregate in AGGREGATES}
    )
    pages_served: int = 0
    on_page: Callable[[int], Awaitable[None]] | None = None

    def know(self, aggregate: str, key: str, event: Event, at: datetime) -> None:
        """The owner's current fact of one part of an aggregate (replacing the older one)."""
        entries = self.facts[aggregate].setdefault(key, [])
        entries[:] = [(e, t) for e, t in entries if type(e) is not type(event)]
        entries.append((event, at))

    async def start(self) -> "FakeOwners":
        self._nc = await nats.connect(self.nats_url)
        self._server = RequestServer(namespace=self.namespace, queue="owners", concurrency=8)
        for aggregate in AGGREGATES:
            self._server.register(snapshot_subject(aggregate), SnapshotRequest)(
                self._serving(aggregate)
            )
        await self._server.start(self._nc)
        return self

    async def stop(self) -> None:
        await self._server.stop()
        await self._nc.close()

    def _serving(self, aggregate: str):
        async def serve(request: SnapshotRequest) -> SnapshotPage:
            self.pages_served += 1
            if self.on_page is not None:
                await self.on_page(self.pages_served)
            after = decode_cursor(request.cursor) if request.cursor else ""
            keys = sorted(key for key in self.facts[aggregate] if key > after)[: request.limit]
            items = [
                Envelope.wrap(event, producer="owner", occurred_at=at)
                for key in keys
                for event, at in self.facts[aggregate][key]
            ]
            full = len(keys) == request.limit
            return SnapshotPage(items=items, cursor=encode_cursor(keys[-1]) if full else None)

        return serve
