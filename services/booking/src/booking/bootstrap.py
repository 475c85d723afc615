"""Wires booking's use cases to the runtime: packs requests, calendar, consumers, due jobs."""

from booking.adapters.google.calendar import GoogleCalendar
from booking.adapters.google.oauth import GoogleOAuth, HttpFactory, default_http
from booking.adapters.google.token_vault import TokenVault
from booking.adapters.packs_client import PacksClient
from booking.adapters.unit_of_work import own_reads, own_units
from booking.config import Settings
from booking.entrypoints import jobs, mentor_snapshot, snapshots, subscribers
from booking.service_layer.dependencies import Dependencies
from booking.service_layer.ports import Calendar, CalendarConnector, NoCalendar
from shared.runtime import Runtime


def bootstrap(
    runtime: Runtime,
    *,
    settings: Settings,
    calendar: Calendar | None = None,
    google_http: HttpFactory = default_http,
) -> Dependencies:
    """Register everything booking runs; nothing connects until the runtime starts.

    Without Google credentials mentors simply have no calendar (`NoCalendar`).
    """
    connector: CalendarConnector | None = None
    if calendar is None and settings.google_configured:
        secret = settings.google_client_secret.get_secret_value()
        calendar = GoogleCalendar(
            connections=runtime.connection_factory,
            vault=TokenVault(settings.calendar_token_key.get_secret_value()),
            client_id=settings.google_client_id,
            client_secret=secret,
            http=google_http,
            clock=runtime.clock,
            cache_seconds=settings.calendar_cache_seconds,
        )
        connector = GoogleOAuth(
            client_id=settings.google_client_id,
            client_secret=secret,
            redirect_uri=settings.google_redirect_uri,
            state_key=settings.calendar_token_key.get_secret_value() + secret,
            http=google_http,
        )
    deps = Dependencies(
        clock=runtime.clock,
        policy=settings.policy(),
        packs=PacksClient(runtime.bus.requester),
        calendar=calendar or NoCalendar(),
        own_unit=own_units(runtime.uow),
        own_reads=own_reads(runtime.connection_factory),
        connector=connector,
    )
    subscribers.register(runtime.bus, deps=deps)
    snapshots.register(runtime.bus)  # snapshot.session for projection rebuilds (decision 0006)
    mentor_snapshot.register(runtime.bus, clock=runtime.clock)  # snapshot.mentor, for search
    jobs.register(runtime, deps=deps, batch_size=settings.job_batch_size)
    return deps
