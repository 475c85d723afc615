"""A mentor connects or disconnects their Google Calendar."""

import asyncio

from booking.domain.errors import CalendarNotConfigured
from booking.service_layer.dependencies import Dependencies
from booking.service_layer.ports import CalendarConnector
from shared.uow import UnitOfWork


def connector_of(deps: Dependencies) -> CalendarConnector:
    if deps.connector is None:
        raise CalendarNotConfigured("this deployment has no Google credentials")
    return deps.connector


def consent_url(mentor_id: str, *, deps: Dependencies) -> str:
    return connector_of(deps).consent_url(mentor_id, now=deps.clock.now())


async def finish_connect(*, state: str, code: str, uow: UnitOfWork, deps: Dependencies) -> str:
    """Check the state, exchange the code, store the token encrypted; returns the mentor id."""
    connector = connector_of(deps)
    mentor_id = connector.mentor_of_state(state, now=deps.clock.now())
    refresh_token = await asyncio.to_thread(connector.exchange_code, code)
    await deps.calendar.connect(
        uow.connection, mentor_id=mentor_id, refresh_token=refresh_token, now=deps.clock.now()
    )
    return mentor_id


async def disconnect(mentor_id: str, *, uow: UnitOfWork, deps: Dependencies) -> bool:
    connector_of(deps)
    return await deps.calendar.disconnect(uow.connection, mentor_id=mentor_id)
