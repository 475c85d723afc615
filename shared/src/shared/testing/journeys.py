"""Fixtures the cross-service journeys share: a service behind a real HTTP port, a purged stream.

Registered by the kernel's pytest plugin (a root `tests/conftest.py` would collide with the
services' `tests/conftest.py` under `--import-mode=importlib`)."""

import asyncio
import socket
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import nats
import pytest
import uvicorn
from fastapi import FastAPI

from shared.http.server import server_config
from shared.messaging.stream import stream_name
from shared.testing.databases import DatabaseFactory

Serve = Callable[[Callable[..., FastAPI], type[Any], Path], AbstractAsyncContextManager[str]]


@pytest.fixture
def serve_over_http(databases: DatabaseFactory, nats_url: str, namespace: str) -> Serve:
    """`async with serve_over_http(create_app, Settings, alembic_ini) as url`: a service with
    a new database behind uvicorn on a free local port, as the CLI reaches it; stopped after."""

    @asynccontextmanager
    async def serve(
        create_app: Callable[..., FastAPI], settings_cls: type[Any], alembic_ini: Path
    ) -> AsyncIterator[str]:
        name, database_url = await databases.create(alembic_ini)
        settings = settings_cls(
            dev_mode=True,
            database_url=database_url,
            nats_url=nats_url,
            nats_namespace=namespace,
            jobs_enabled=False,
        )
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = uvicorn.Server(
            server_config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        try:
            async with asyncio.timeout(30):
                while not server.started:  # noqa: ASYNC110 - waiting on another thread
                    await asyncio.sleep(0.05)
            yield f"http://127.0.0.1:{port}"
        finally:
            server.should_exit = True
            await asyncio.to_thread(thread.join, 30)
            await databases.drop(name)

    return serve


@pytest.fixture
def purge_stream(nats_url: str, namespace: str) -> Callable[[], Awaitable[None]]:
    """`await purge_stream()`: every event gone from the namespace's stream (what 7 days of
    retention do), so only the owners' snapshots can tell a new consumer the facts."""

    async def purge() -> None:
        connection = await nats.connect(nats_url)
        await connection.jetstream().purge_stream(stream_name(namespace))
        await connection.close()

    return purge
