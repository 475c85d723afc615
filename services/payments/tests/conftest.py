import pytest

from payments.config import Settings
from payments.main import ALEMBIC_INI, create_app


@pytest.fixture
async def payments(event_probe, start_service):
    # The probe must declare the stream first: `ensure_stream` refuses the one FastStream made.
    return await start_service(create_app, Settings, ALEMBIC_INI)
