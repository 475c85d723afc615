"""The unit of work: one transaction for a state change, its outbox rows and its inbox claim."""

from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Self

from sqlalchemy import insert

from shared.db import DbSession, SessionFactory
from shared.messaging.tables import outbox

AfterCommit = Callable[[list[dict]], Awaitable[None] | None]


class UnitOfWork:
    """Owns one transaction: the state change and its outbox rows commit together or not at all.

    Leaving the block without `commit()` rolls everything back.
    """

    def __init__(
        self,
        session_factory: SessionFactory,
        *,
        after_commit: AfterCommit | None = None,
    ) -> None:
        self._session_factory = session_factory
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
            await self.session.execute(insert(outbox), outgoing)
        await self.session.commit()
        if outgoing and self._after_commit is not None:
            result = self._after_commit(outgoing)
            if result is not None:
                await result

    async def rollback(self) -> None:
        self._outgoing = []
        await self.session.rollback()


UnitOfWorkFactory = Callable[[], UnitOfWork]
