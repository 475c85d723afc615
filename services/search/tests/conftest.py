
import pytest

from search.config import Settings
from search.main import ALEMBIC_INI, create_app


@pytest.fixture
async def search_service(event_probe, start_service):
    # The probe must declare the stream first: `ensure_stream` refuses the one FastStream made.
    return await start_service(create_app, Settings, ALEMBIC_INI)


async def processed(service, event_id) -> bool:
    """True once some consumer of the service has applied (or skipped) the event."""
    from sqlalchemy import select

    from shared.messaging.tables import inbox

    async with service.runtime.session_factory() as session:
        found = await session.execute(select(inbox.c.event_id).where(inbox.c.event_id == event_id))
        return found.first() is not None
