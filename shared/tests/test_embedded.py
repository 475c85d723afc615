"""The embedded NATS and Postgres start, answer, stop, and restart on the same data."""

import os
import shutil
import signal
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import nats
import pytest

from shared.embedded import EmbeddedNats, EmbeddedPostgres, ensure_databases, free_port


@pytest.fixture
def data_root() -> Iterator[Path]:
    """A scratch dir outside pytest's base temp, which any new pytest session resets to 0700:
    as root, Postgres runs as another user and must traverse the parents of its data dir."""
    root = Path(tempfile.mkdtemp(prefix="test-embedded-"))
    yield root
    shutil.rmtree(root, ignore_errors=True)


def test_free_port_can_be_bound() -> None:
    port = free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))


async def _scalar(url: str, sql: str) -> object:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval(sql)
    finally:
        await conn.close()


async def test_postgres_answers_and_keeps_its_data_across_restarts(data_root: Path) -> None:
    pg = EmbeddedPostgres(data_root / "pg", fast=True)
    with pg:
        assert await _scalar(pg.url(), "SELECT 1") == 1
        assert await _scalar(pg.url(), "SHOW max_connections") == "200"
        assert await _scalar(pg.url(), "SHOW fsync") == "off"
        await _scalar(pg.url(), "CREATE TABLE kept AS SELECT 42 AS answer")
    assert pg.pid is None
    assert not (data_root / "pg" / "postmaster.pid").exists()

    with EmbeddedPostgres(data_root / "pg") as again:
        assert await _scalar(again.url(), "SELECT answer FROM kept") == 42
        assert await _scalar(again.url(), "SHOW fsync") == "on"


async def test_postgres_restarts_after_its_previous_run_was_killed(data_root: Path) -> None:
    killed = EmbeddedPostgres(data_root / "pg").start()  # fast mode may lose the last commits
    await _scalar(killed.url(), "CREATE TABLE kept AS SELECT 7 AS answer")
    assert killed.pid is not None
    os.kill(killed.pid, signal.SIGKILL)  # postmaster.pid and socket lock stay behind
    assert (data_root / "pg" / "postmaster.pid").exists()
    try:
        with EmbeddedPostgres(data_root / "pg", fast=True) as again:
            assert await _scalar(again.url(), "SELECT answer FROM kept") == 7
    finally:
        killed.stop()


def test_a_second_postgres_on_a_running_data_dir_is_refused(data_root: Path) -> None:
    with EmbeddedPostgres(data_root / "pg", fast=True):
        with pytest.raises(RuntimeError, match="already running"):
            EmbeddedPostgres(data_root / "pg", fast=True).start()


async def test_without_a_data_dir_postgres_uses_a_temporary_one() -> None:
    pg = EmbeddedPostgres(fast=True)
    with pg:
        assert (pg.data_dir / "PG_VERSION").exists()
        assert await _scalar(pg.url(), "SELECT 1") == 1
    assert not pg.data_dir.exists()


async def test_ensure_databases_creates_only_missing_ones() -> None:
    with EmbeddedPostgres(fast=True) as pg:
        assert await ensure_databases(pg.url(), ["packs", "search"]) == ["packs", "search"]
        assert await ensure_databases(pg.url(), ["packs", "video"]) == ["video"]
        assert await _scalar(pg.url("video"), "SELECT current_database()") == "video"


async def _stream_names(url: str) -> list[str]:
    nc = await nats.connect(url)
    try:
        js = nc.jetstream()
        await js.account_info()
        return [info.config.name for info in await js.streams_info()]
    finally:
        await nc.close()


async def _add_stream(url: str, name: str) -> None:
    nc = await nats.connect(url)
    try:
        js = nc.jetstream()
        await js.add_stream(name=name, subjects=[f"{name.lower()}.>"])
        await js.publish(f"{name.lower()}.created", b"{}")
    finally:
        await nc.close()


async def test_nats_serves_jetstream_and_keeps_streams_across_restarts(data_root: Path) -> None:
    server = EmbeddedNats(data_root / "nats")
    with server:
        assert server.url == f"nats://127.0.0.1:{server.port}"
        assert await _stream_names(server.url) == []
        await _add_stream(server.url, "EVENTS")
    assert server.pid is None

    with EmbeddedNats(data_root / "nats") as again:
        assert await _stream_names(again.url) == ["EVENTS"]


async def test_nats_restarts_after_its_previous_run_was_killed(data_root: Path) -> None:
    killed = EmbeddedNats(data_root / "nats").start()
    await _add_stream(killed.url, "EVENTS")
    assert killed.pid is not None
    os.kill(killed.pid, signal.SIGKILL)
    assert killed.stop() == -signal.SIGKILL  # reaped, so that its port is free again

    with EmbeddedNats(data_root / "nats", port=killed.port) as again:
        assert await _stream_names(again.url) == ["EVENTS"]


def test_nats_on_a_taken_port_fails_with_a_clear_error(data_root: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        with pytest.raises(RuntimeError, match="already in use"):
            EmbeddedNats(data_root / "nats", port=port).start()
