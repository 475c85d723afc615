from datetime import UTC, datetime

import pytest

from booking.config import Settings
from booking.main import ALEMBIC_INI, create_app
from shared.clock import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
async def booking(event_probe, start_service, clock):
    # The probe must declare the stream first: `ensure_stream` refuses the one FastStream made.
    return await start_service(create_app, Settings, ALEMBIC_INI, app_kwargs={"clock": clock})
