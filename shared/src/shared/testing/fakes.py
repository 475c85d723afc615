"""Fakes for unit tests of use cases: a unit of work that keeps its events in memory."""

from types import TracebackType
from typing import Self

from shared.clock import Clock, SystemClock
from shared.messaging.events import Envelope, Event


class FakeUnitOfWork:
    """Records events like the real unit of work; commit and rollback are counted, not run.

    A service's fake subclasses it and adds its fake repositories (`self.seats = ...`), so a
    use case runs on it in a unit test without Postgres. Like the real one, leaving the block
    without `commit()` drops the events recorded since the last commit.
    """

    def __init__(self, *, producer: str = "test", clock: Clock | None = None) -> None:
        self.producer = producer
        self.clock = clock or SystemClock()
        self.commits = 0
        self.rollbacks = 0
        self.published: list[Envelope] = []
        """Every envelope a commit took, in order (what the relay would publish)."""
        self._recorded: list[Envelope] = []

    async def __aenter__(self) -> Self:
        self._recorded = []
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.rollback()

    def record(self, event: Event) -> Envelope:
        envelope = Envelope.wrap(event, producer=self.producer, occurred_at=self.clock.now())
        self._recorded.append(envelope)
        return envelope

    @property
    def recorded(self) -> tuple[Envelope, ...]:
        return tuple(self._recorded)

    async def commit(self) -> None:
        self.published.extend(self._recorded)
        self._recorded = []
        self.commits += 1

    async def rollback(self) -> None:
        if self._recorded:
            self.rollbacks += 1
        self._recorded = []

    def events(self) -> list[Event]:
        """The committed events as their payload classes, for assertions."""
        return [envelope.payload() for envelope in self.published]
