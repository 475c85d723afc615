"""The unit of work: one transaction for a state change, its outbox rows and its inbox claim."""

from collections.abc import Awaitable, Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, Self, TypeVar

from shared.db import ConnectionFactory, DbConnection

if TYPE_CHECKING:  # the messaging kernel imports this module: no import cycle at run time
    from shared.messaging.events import Envelope, Event

OutboxRow = dict[str, Any]
"""One row of the kernel's outbox table: `id`, `subject`, `envelope` (JSON)."""

AfterCommit = Callable[[Sequence[OutboxRow]], Awaitable[None] | None]
BeforeCommit = Callable[[], Awaitable[None]]
Step = TypeVar("Step", bound=BeforeCommit)


class EventOutbox(Protocol):
    """What a unit of work needs to record events (`shared.messaging.outbox.Outbox`)."""

    def wrap(self, event: "Event") -> "Envelope":
        """The event in its envelope: id, producer, time, correlation and causation."""
        ...

    async def write(
        self, connection: DbConnection, envelopes: Sequence["Envelope"]
    ) -> Sequence[OutboxRow]:
        """Insert the envelopes into the outbox in the caller's transaction."""
        ...


class UnitOfWork:
    """Owns one transaction: the state change and its events commit together or not at all.

    Use cases change state through `uow.connection` and announce facts with `uow.record(e)`;
    only the caller (route, responder, subscriber, job) commits. Leaving the block without
    `commit()` rolls everything back, recorded events included.
    """

    def __init__(
        self,
        connection_factory: ConnectionFactory,
        *,
        outbox: EventOutbox | None = None,
        after_commit: AfterCommit | None = None,
    ) -> None:
        """`outbox` writes recorded events in the transaction; `after_commit` relays them."""
        self._connection_factory = connection_factory
        self._outbox = outbox
        self._after_commit = after_commit
        self._recorded: list[Envelope] = []
        self._before_commit: dict[object, BeforeCommit] = {}
        self.connection: DbConnection

    async def __aenter__(self) -> Self:
        self.connection = await self._connection_factory().start()
        self._recorded, self._before_commit = [], {}
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.connection.rollback()
        await self.connection.close()

    def record(self, event: "Event") -> "Envelope":
        """Announce `event` if and only if this unit of work commits; returns its envelope."""
        if self._outbox is None:
            raise RuntimeError("events were recorded in a unit of work with no outbox")
        envelope = self._outbox.wrap(event)
        self._recorded.append(envelope)
        return envelope

    @property
    def recorded(self) -> tuple["Envelope", ...]:
        """Envelopes recorded since the last commit or rollback (for tests and logs)."""
        return tuple(self._recorded)

    def before_commit(self, key: object, make: Callable[[], Step]) -> Step:
        """The step kept under `key` (made by `make()` on first use), awaited in this
        transaction just before the next commit; dropped by a rollback. A consumer's handlers
        gather a batch's work in it and write it in a few statements (decision 0029)."""
        if key not in self._before_commit:
            self._before_commit[key] = make()
        return self._before_commit[key]  # type: ignore[return-value]  # made by make() above

    async def commit(self) -> None:
        steps, self._before_commit = list(self._before_commit.values()), {}
        for step in steps:
            await step()
        recorded, self._recorded = self._recorded, []
        rows: Sequence[OutboxRow] = ()
        if recorded:
            assert self._outbox is not None  # record() refuses events without an outbox
            rows = await self._outbox.write(self.connection, recorded)
        await self.connection.commit()
        if rows and self._after_commit is not None:
            result = self._after_commit(rows)
            if result is not None:
                await result

    async def rollback(self) -> None:
        self._recorded, self._before_commit = [], {}
        await self.connection.rollback()


UnitOfWorkFactory = Callable[[], UnitOfWork]


class RecordsEvents(Protocol):
    """What a use case asks of its unit of work besides its repositories."""

    def record(self, event: "Event") -> "Envelope":
        """Announce `event` if and only if the unit of work commits."""
        ...


class Repositories:
    """A service's repositories on one kernel unit of work: what its use cases take as `uow`.

    A service declares its repositories once: a Protocol naming them (`uow.seats`, ...) with
    `RecordsEvents`, and a subclass of this that builds the SQL ones on `uow.connection`, so
    they share the unit of work's transaction (outbox and inbox rows included). Its fake, for
    unit tests, subclasses `shared.testing.fakes.FakeUnitOfWork` with in-memory ones. The
    entry point still opens and commits the kernel unit of work.
    """

    def __init__(self, uow: UnitOfWork) -> None:
        self.unit_of_work = uow

    def record(self, event: "Event") -> "Envelope":
        return self.unit_of_work.record(event)
