"""The unit of work: one transaction for a state change, its outbox rows and its inbox claim."""

from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Self

from shared.db import DbSession, SessionFactory

BeforeCommit = Callable[[DbSession, list[dict]], Awaitable[None]]
AfterCommit = Callable[[list[dict]], Awaitable[None] | None]


class UnitOfWork:
    """Owns one transaction: the state change and its outbox rows commit together or not at all.

    Leaving the block without `commit()` rolls everything back.
    """

    def __init__(
        self,
        session_factory: SessionFactory,
        *,
        before_commit: BeforeCommit | None = None,
        after_commit: AfterCommit | None = None,
    ) -> None:
        """`before_commit` writes the outbox rows in the transaction; `after_commit` relays them."""
        self._session_factory = session_factory
        self._before_commit = before_commit
        self._after_commit = after_commit
        self._outgoing: list[dict] = []
        self.session: DbSession

    async def __aenter__(self) -> Self:
        self.session = await self._session_factory().start()
        self._outgoing = []
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.session.rollback()
        await self.session.close()

    def add_outbox_row(self, row: dict) -> None:
        """Queue an outbox row; it is inserted by `commit()` in the same transaction."""
        self._outgoing.append(row)

    async def commit(self) -> None:
        outgoing, self._outgoing = self._outgoing, []
        if outgoing:
            if self._before_commit is None:
                raise RuntimeError("events were recorded in a unit of work with no outbox")
            await self._before_commit(self.session, outgoing)
        await self.session.commit()
        if outgoing and self._after_commit is not None:
            result = self._after_commit(outgoing)
            if result is not None:
                await result

    async def rollback(self) -> None:
        self._outgoing = []
        await self.session.rollback()


UnitOfWorkFactory = Callable[[], UnitOfWork]
