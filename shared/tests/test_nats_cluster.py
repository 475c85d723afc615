"""A three-node NATS cluster on loopback (EmbeddedNatsCluster): JetStream on every node, the
domain stream and the dev clock at three replicas, and a stream that loses nothing when one
node is SIGKILLed — publishing and consuming go on, and the node catches up when it is back."""

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Iterator

import nats
import nats.errors
import pytest
from nats.aio.client import Client as NatsClient

from shared.embedded import EmbeddedNatsCluster
from shared.messaging.dev_clock import bucket_name, open_bucket
from shared.messaging.stream import declare_domain_stream, stream_name, subject_for

# It starts servers of its own: `nats_url` (started for the suite anyway) marks it as a server
# test, which `make unit`'s server-less tier (shared.testing.unit_only) leaves out.
pytestmark = [pytest.mark.timeout(60), pytest.mark.usefixtures("nats_url")]

# Every error of the client while a leader is elected or the connection moves on.
PUBLISH_ERRORS = (nats.errors.Error,)


@pytest.fixture
def cluster() -> Iterator[EmbeddedNatsCluster]:
    with EmbeddedNatsCluster(nodes=3) as running:
        yield running


@pytest.fixture
async def client(cluster: EmbeddedNatsCluster) -> AsyncIterator[NatsClient]:
    connection = await nats.connect(
        servers=cluster.urls,
        reconnect_time_wait=0.2,
        max_reconnect_attempts=-1,
        ping_interval=1,  # a paused server is left after two unanswered pings
        max_outstanding_pings=2,
    )
    yield connection
    await connection.close()


def _url(connection: NatsClient) -> str:
    current = connection.connected_url
    return f"nats://{current.netloc}" if current is not None else ""


def namespace() -> str:
    return f"c{uuid.uuid4().hex[:8]}"


async def test_every_node_serves_jetstream_with_one_meta_leader(cluster):
    assert cluster.meta_leader() in {"n1", "n2", "n3"}
    assert cluster.url == ",".join(cluster.urls) and len(set(cluster.urls)) == 3
    for url in cluster.urls:  # each client URL alone reaches the cluster's JetStream
        connection = await nats.connect(url)
        try:
            info = await connection.jetstream().account_info()
            assert info.limits is not None
        finally:
            await connection.close()


async def test_the_domain_stream_and_the_dev_clock_get_three_replicas(cluster, client):
    js = client.jetstream()
    ns = namespace()
    await declare_domain_stream(js, ns, replicas=3)
    info = await js.stream_info(stream_name(ns))
    assert info.config.num_replicas == 3
    assert info.cluster is not None and len(info.cluster.replicas or ()) == 2
    await open_bucket(client, ns, replicas=3)
    assert (await js.stream_info(f"KV_{bucket_name(ns)}")).config.num_replicas == 3


async def test_a_stream_of_one_replica_is_brought_to_three_at_start(cluster, client):
    js = client.jetstream()
    ns = namespace()
    await declare_domain_stream(js, ns, replicas=1)
    await js.publish(subject_for(ns, "pack.depleted"), b"{}")
    await declare_domain_stream(js, ns, replicas=3)
    info = await js.stream_info(stream_name(ns))
    assert (info.config.num_replicas, info.state.messages) == (3, 1)
    copies = lambda: sum(cluster.messages_on(i, stream_name(ns)) == 1 for i in range(3))  # noqa: E731
    assert await asyncio.to_thread(_eventually, lambda: copies() == 3, 20.0) is not None


def _eventually(check, timeout: float) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if check():
            return time.monotonic() - started
        time.sleep(0.1)
    return None


async def publish(js, subject: str, msg_id: str, *, deadline: float) -> None:
    """Publish until acked (the same Nats-Msg-Id each time: JetStream keeps one copy)."""
    while True:
        try:
            await js.publish(subject, msg_id.encode(), timeout=1.0, headers={"Nats-Msg-Id": msg_id})
            return
        except PUBLISH_ERRORS:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.1)


async def consume(subscription, seen: set[str], *, until: int, deadline: float) -> None:
    while len(seen) < until and time.monotonic() < deadline:
        try:
            messages = await subscription.fetch(50, timeout=1.0)
        except (*PUBLISH_ERRORS, TimeoutError):
            continue
        for message in messages:
            seen.add(message.data.decode())
            try:
                await message.ack()
            except PUBLISH_ERRORS:
                pass  # redelivered after the ack wait: `seen` is a set


async def test_a_replicated_stream_loses_nothing_when_its_leader_is_sigkilled(cluster, client):
    js = client.jetstream()
    ns = namespace()
    name, subject = stream_name(ns), subject_for(ns, "pack.depleted")
    await declare_domain_stream(js, ns, replicas=3)
    subscription = await js.pull_subscribe(subject, durable="survivor", stream=name)
    deadline = time.monotonic() + 45
    ids = [str(uuid.uuid4()) for _ in range(400)]
    seen: set[str] = set()
    for msg_id in ids[:200]:
        await publish(js, subject, msg_id, deadline=deadline)
    await consume(subscription, seen, until=100, deadline=deadline)

    leader = (await js.stream_info(name)).cluster.leader  # type: ignore[union-attr]
    killed = cluster.index_of(leader)
    cluster.kill(killed)
    started = time.monotonic()
    await publish(js, subject, ids[200], deadline=deadline)
    publish_back = time.monotonic() - started
    for msg_id in ids[201:]:
        await publish(js, subject, msg_id, deadline=deadline)
    await consume(subscription, seen, until=len(ids), deadline=deadline)
    assert seen == set(ids)  # every message consumed, none lost with the dead leader
    assert (await js.stream_info(name)).state.messages == len(ids)  # and none stored twice

    started = time.monotonic()
    await asyncio.to_thread(cluster.start_node, killed)
    caught_up = await asyncio.to_thread(
        _eventually, lambda: cluster.messages_on(killed, name) == len(ids), 20.0
    )
    assert caught_up is not None, f"{leader} came back without the messages it missed"
    print(
        f"\nleader {leader} SIGKILLed: publishing acked again after {publish_back:.2f}s; "
        f"restarted and caught up {time.monotonic() - started:.2f}s later"
    )


async def test_a_paused_node_holds_nothing_up_and_catches_up_when_it_continues(cluster, client):
    js = client.jetstream()
    ns = namespace()
    name, subject = stream_name(ns), subject_for(ns, "pack.depleted")
    await declare_domain_stream(js, ns, replicas=3)
    leader = (await js.stream_info(name)).cluster.leader  # type: ignore[union-attr]
    followers = [i for i in range(3) if cluster.node_name(i) != leader]
    ours = [i for i in followers if cluster.urls[i] == _url(client)]
    follower = (ours or followers)[0]  # the client's own server if it is a follower
    deadline = time.monotonic() + 45
    cluster.pause(follower)  # SIGSTOP: its sockets stay open, it answers nobody
    started = time.monotonic()
    try:
        for n in range(100):
            await publish(js, subject, f"m{n}", deadline=deadline)
        assert (await js.stream_info(name)).state.messages == 100  # a quorum of two holds it
        published = time.monotonic() - started
    finally:
        cluster.resume(follower)
    caught_up = await asyncio.to_thread(
        _eventually, lambda: cluster.messages_on(follower, name) == 100, 20.0
    )
    assert caught_up is not None, "the paused node never caught up"
    print(
        f"\nfollower {cluster.node_name(follower)} paused"
        f"{' (the client was on it)' if ours else ''}: 100 messages acked in {published:.2f}s; "
        f"caught up {caught_up:.2f}s after it continued"
    )
