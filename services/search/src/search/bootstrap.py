"""Wires search's backend, facts and subscribers to the runtime."""

from search.adapters.embedded_backend import EmbeddedBackend
from search.adapters.shadows import directory_shadows
from search.config import Settings
from search.entrypoints import subscribers
from search.service_layer.dependencies import Dependencies
from search.service_layer.ports import SearchBackend
from shared.runtime import Runtime


def make_backend(runtime: Runtime, *, settings: Settings) -> SearchBackend:
    """Meilisearch when a URL is configured, else the embedded Postgres backend."""
    if settings.meilisearch_url:
        from search.adapters.meilisearch_backend import MeilisearchBackend

        return MeilisearchBackend(
            url=settings.meilisearch_url,
            api_key=settings.meilisearch_api_key.get_secret_value(),
            index_uid=settings.meilisearch_index,
            timeout_seconds=settings.meilisearch_timeout_seconds,
        )
    return EmbeddedBackend(runtime.connection_factory)


def bootstrap(
    runtime: Runtime, *, settings: Settings, backend: SearchBackend | None = None
) -> Dependencies:
    """Register everything search serves; nothing connects until the runtime starts."""
    deps = Dependencies(
        clock=runtime.clock,
        backend=backend or make_backend(runtime, settings=settings),
        shadows=directory_shadows(
            connection_factory=runtime.connection_factory, clock=runtime.clock
        ),
    )
    subscribers.register(runtime.bus, deps=deps)
    return deps
