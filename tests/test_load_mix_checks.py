"""bench/load_mix.py's post-checks pass on clean databases and fail on each defect they are
there to find: overlapping sessions of one mentor, a pack whose counters disagree with its
credits, an unpublished outbox event, an event a consumer of its type never recorded."""

import sys
import uuid
from collections.abc import Awaitable, Callable

import asyncpg

from mentorship.services import SERVICE_NAMES, repo_root
from shared.testing.databases import DatabaseFactory

sys.path.insert(0, str(repo_root() / "bench"))
import load_checks  # noqa: E402

Urls = dict[str, str]


async def fresh(databases: DatabaseFactory) -> Urls:
    urls = {}
    for service in SERVICE_NAMES:
        _, url = await databases.create(repo_root() / "services" / service / "alembic.ini")
        urls[service] = url.replace("postgresql+asyncpg://", "postgresql://", 1)
    return urls


async def execute(url: str, *statements: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


def session(mentor: str, starts: str, ends: str, blocked: str, pack: uuid.UUID) -> str:
    return f"""INSERT INTO sessions (session_id, mentor_id, student_id, pack_id, starts_at,
        ends_at, blocked, status, topic, join_url, mentor_timezone, idempotency_key,
        request_fingerprint, created_at, updated_at)
        VALUES ('{uuid.uuid4()}', '{mentor}', 's-{uuid.uuid4().hex[:6]}', '{pack}', '{starts}',
        '{ends}', '{blocked}', 'scheduled', 'a topic here', 'https://x', 'UTC',
        '{uuid.uuid4()}', 'f', now(), now())"""


Check = Callable[[Urls], Awaitable[tuple[bool, str]]]
CHECKS: tuple[Check, ...] = (
    load_checks.check_double_booking,
    load_checks.check_packs,
    load_checks.check_events,
)


async def outcomes(urls: Urls) -> list[bool]:
    return [(await check(urls))[0] for check in CHECKS]


async def test_clean_databases_pass_every_check(databases):
    assert await outcomes(await fresh(databases)) == [True, True, True]


async def test_overlapping_sessions_of_one_mentor_fail_the_double_booking_check(databases):
    urls = await fresh(databases)
    pack = uuid.uuid4()
    # The exclusion constraint is on `blocked`; the check reads the sessions' own times, so
    # it still sees an overlap that a wrong `blocked` would let through.
    day1, day2 = "[2030-01-01T10:00Z,2030-01-01T10:01Z)", "[2030-01-02T10:00Z,2030-01-02T10:01Z)"
    await execute(
        urls["booking"],
        session("m1", "2030-01-01T10:00Z", "2030-01-01T11:00Z", day1, pack),
        session("m1", "2030-01-01T10:30Z", "2030-01-01T11:30Z", day2, pack),
    )
    ok, detail = await load_checks.check_double_booking(urls)
    assert not ok and "pairs of one mentor: 1" in detail


async def test_a_pack_whose_counters_disagree_with_its_credits_fails(databases):
    urls = await fresh(databases)
    seat, pack = uuid.uuid4(), uuid.uuid4()
    await execute(
        urls["packs"],
        f"""INSERT INTO seats (id, student_id, mentor_id, status, activated_at)
            VALUES ('{seat}', 's1', 'm1', 'active', now())""",
        f"""INSERT INTO packs (id, order_id, seat_id, student_id, mentor_id, product_id, status,
            sessions_total, session_minutes, validity_days, sessions_reserved, purchased_at,
            expires_at) VALUES ('{pack}', '{uuid.uuid4()}', '{seat}', 's1', 'm1',
            '{uuid.uuid4()}', 'active', 4, 60, 30, 1, now(), now() + interval '30 days')""",
    )
    ok, detail = await load_checks.check_packs(urls)
    assert not ok and "differ from their credits 1" in detail


async def test_an_unpublished_or_undelivered_event_fails_the_delivery_check(databases):
    urls = await fresh(databases)
    first, second = uuid.uuid4(), uuid.uuid4()
    envelope = "'{}'::jsonb"
    await execute(
        urls["booking"],
        f"""INSERT INTO outbox (id, subject, envelope, published_at)
            VALUES ('{first}', 'ns.session.booked', {envelope}, now()),
                   ('{second}', 'ns.session.booked', {envelope}, now())""",
    )
    await execute(
        urls["video"],
        f"INSERT INTO inbox (consumer, event_id) VALUES ('video-sessions', '{first}')",
    )
    ok, detail = await load_checks.check_events(urls)
    assert not ok and "missing 1" in detail  # video saw one session.booked, not the other
    await execute(
        urls["video"],
        f"INSERT INTO inbox (consumer, event_id) VALUES ('video-sessions', '{second}')",
    )
    assert (await load_checks.check_events(urls))[0]
    await execute(urls["booking"], f"UPDATE outbox SET published_at = NULL WHERE id = '{first}'")
    ok, detail = await load_checks.check_events(urls)
    assert not ok and "unpublished 1" in detail
