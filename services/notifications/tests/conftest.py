import pytest

from notifications.config import Settings
from notifications.main import ALEMBIC_INI, create_app


@pytest.fixture
async def notifications(event_probe, start_service):
    # The probe must declare the stream first: `ensure_stream` refuses the one FastStream made.
    return await start_service(create_app, Settings, ALEMBIC_INI)
