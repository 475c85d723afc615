"""The token route's reads and writes, batched across the requests in flight (issue 19).

A view lookup or a grant joins whatever batch is waiting: while one batch's statement runs,
the calls that arrive meanwhile wait and go together in the next one, a single autocommit
statement (a many-row INSERT is atomic on its own). A caller resumes only once its batch
answered, so a token is returned after its grant is committed, as with a unit of work per
request, for one round trip per batch instead of four (BEGIN, SELECT, INSERT, COMMIT) per
request. Decision 0029.
"""

from uuid import UUID

from shared.coalescing import Coalesced
from shared.db import ConnectionFactory
from video.adapters import grants, projection
from video.domain.grants import TokenGrant
from video.domain.sessions import SessionView

MAX_BATCH = 256


class _Views:
    def __init__(self, connection_factory: ConnectionFactory) -> None:
        self._connection_factory = connection_factory
        self._get = Coalesced(self._read, max_batch=MAX_BATCH)

    async def get(self, session_id: UUID) -> SessionView | None:
        return await self._get(session_id)

    async def _read(self, session_ids: list[UUID]) -> list[SessionView | None]:
        async with self._connection_factory() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            found = await projection.views_of(connection, session_ids)
        return [found.get(session_id) for session_id in session_ids]


class _Grants:
    def __init__(self, connection_factory: ConnectionFactory) -> None:
        self._connection_factory = connection_factory
        self._add = Coalesced(self._write, max_batch=MAX_BATCH)

    async def add(self, grant: TokenGrant) -> None:
        await self._add(grant)

    async def _write(self, batch: list[TokenGrant]) -> list[None]:
        async with self._connection_factory() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await grants.add_grants(connection, batch)
        return [None] * len(batch)


class BatchedTokenRecords:
    """`TokenRecords` for the token route: one connection per batch, not per request."""

    def __init__(self, connection_factory: ConnectionFactory) -> None:
        self.sessions = _Views(connection_factory)
        self.grants = _Grants(connection_factory)
