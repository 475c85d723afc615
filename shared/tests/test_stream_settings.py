"""The stream and the NATS servers come from settings (decision 0034): every server of a
comma-separated NATS URL reaches the client; the stream's replicas and age limit are applied
at start, and a NATS that cannot hold the replicas asked for refuses with a clear error."""

import pytest
from nats.aio.client import Client as NatsClient
from pydantic import ValidationError

from shared.embedded import free_port
from shared.messaging.dev_clock import bucket_name, open_bucket
from shared.messaging.stream import StreamConfigError, declare_domain_stream, stream_name
from shared.settings import EVENT_RETENTION_SECONDS, ServiceSettings


def settings(**values) -> ServiceSettings:
    return ServiceSettings(dev_mode=True, **values)


def test_a_comma_separated_nats_url_names_every_server_in_order():
    url = " nats://10.0.0.1:4222, nats://u:p@10.0.0.2:4222 ,,tls://10.0.0.3:4222"
    assert settings(nats_url=url).nats_servers == [
        "nats://10.0.0.1:4222",
        "nats://u:p@10.0.0.2:4222",
        "tls://10.0.0.3:4222",
    ]


@pytest.mark.parametrize("url", ["", " , ", "nats://a:1,127.0.0.1:4222", "http://a:1", "nats://"])
def test_a_nats_url_that_is_not_a_list_of_servers_is_refused(url):
    with pytest.raises(ValidationError, match="NATS_URL"):
        settings(nats_url=url)


def test_a_refused_nats_url_never_echoes_its_password():
    with pytest.raises(ValidationError) as refused:
        settings(nats_url="nats://a:1,http://user:hunter2@b:2")
    assert "hunter2" not in str(refused.value)
    assert "server 2 of 2" in str(refused.value)


def test_the_stream_defaults_to_one_replica_and_seven_days():
    defaults = settings()
    assert (defaults.stream_replicas, defaults.stream_max_age_seconds) == (
        1,
        EVENT_RETENTION_SECONDS,
    )
    with pytest.raises(ValidationError):
        settings(stream_replicas=0)
    with pytest.raises(ValidationError):  # the inboxes are pruned after twice the retention
        settings(stream_max_age_seconds=EVENT_RETENTION_SECONDS + 1)


async def test_the_bus_gets_every_server_and_connects_past_a_dead_one(
    make_bus, nats_url, namespace
):
    dead = f"nats://127.0.0.1:{free_port()}"
    bus = make_bus(url_override=f"{dead},{nats_url}")
    await bus.start()
    connection = bus.broker.connection
    assert connection.is_connected
    pool = {f"nats://{server.uri.netloc}" for server in connection._server_pool}
    assert {dead, nats_url.rstrip("/")} <= pool


async def connect(url: str) -> NatsClient:
    connection = NatsClient()
    await connection.connect(url)
    return connection


async def test_an_existing_stream_takes_the_age_limit_of_the_settings(nats_url, namespace):
    connection = await connect(nats_url)
    js = connection.jetstream()
    try:
        await declare_domain_stream(js, namespace, max_age_seconds=3600.0)
        await declare_domain_stream(js, namespace, max_age_seconds=7200.0)
        config = (await js.stream_info(stream_name(namespace))).config
        assert (config.max_age, config.num_replicas) == (7200.0, 1)
    finally:
        await connection.close()


async def test_three_replicas_on_one_server_are_refused_with_the_setting_to_change(
    nats_url, namespace
):
    connection = await connect(nats_url)
    js = connection.jetstream()
    try:
        with pytest.raises(StreamConfigError, match="STREAM_REPLICAS"):
            await declare_domain_stream(js, namespace, replicas=3)
        await declare_domain_stream(js, namespace, replicas=1)
        with pytest.raises(StreamConfigError, match="STREAM_REPLICAS"):  # nor widened later
            await declare_domain_stream(js, namespace, replicas=3)
        assert (await js.stream_info(stream_name(namespace))).config.num_replicas == 1
    finally:
        await connection.close()


async def test_the_dev_clock_bucket_refuses_replicas_one_server_cannot_hold(nats_url, namespace):
    connection = await connect(nats_url)
    js = connection.jetstream()
    try:
        with pytest.raises(StreamConfigError, match="dev clock"):
            await open_bucket(connection, namespace, replicas=3)
        await open_bucket(connection, namespace, replicas=1)
        assert (await js.stream_info(f"KV_{bucket_name(namespace)}")).config.num_replicas == 1
    finally:
        await js.delete_key_value(bucket_name(namespace))
        await connection.close()
