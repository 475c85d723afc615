"""Rate limits from the policy table: 429 problem+json with Retry-After and the RateLimit
fields, per user, per client address when anonymous, per provider for webhooks, 401s per
address; Redis shares counters between replicas and its outage falls back to local counts."""

import re
import socket
import uuid

import pytest
from prometheus_client import REGISTRY

from shared.http.rate_limit_policy import GROUPS, with_overrides
from shared.testing.plugin import auth_headers

from .limits_app import client, limited_app

PROBLEM = "application/problem+json"
REDIS = ("127.0.0.1", 6379)


def assert_rate_limited(response, policy: str) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["code"] == "RATE_LIMITED"
    assert int(response.headers["retry-after"]) >= 1
    assert response.headers["ratelimit-policy"] == policy


async def test_a_users_booking_limit_gives_429_with_retry_after_and_another_user_still_books():
    app, _ = limited_app(rate_limit_overrides={"booking": "3/minute"})
    alice, bob = auth_headers("alice", "student"), auth_headers("bob", "student")
    async with client(app) as http:
        answers = [await http.post("/v1/sessions", headers=alice) for _ in range(3)]
        assert [a.status_code for a in answers] == [200, 200, 200]
        assert answers[0].headers["ratelimit-policy"] == '"booking";q=3;w=60'
        assert re.fullmatch(r'"booking";r=2;t=\d+', answers[0].headers["ratelimit"])
        assert answers[2].headers["ratelimit"].startswith('"booking";r=0;')

        refused = await http.post("/v1/sessions", headers=alice)
        assert_rate_limited(refused, '"booking";q=3;w=60')
        assert refused.headers["ratelimit"].startswith('"booking";r=0;t=')
        assert 1 <= int(refused.headers["retry-after"]) <= 60

        assert (await http.post("/v1/sessions", headers=bob)).status_code == 200


async def test_a_group_with_two_limits_names_each_in_the_fields():
    app, _ = limited_app()  # the table's booking limits: 30/minute;5/second
    async with client(app) as http:
        answers = [
            await http.post("/v1/sessions", headers=auth_headers("carol", "student"))
            for _ in range(6)
        ]
    assert [a.status_code for a in answers[:5]] == [200] * 5
    assert answers[0].headers["ratelimit-policy"] == (
        '"booking-60s";q=30;w=60, "booking-1s";q=5;w=1'
    )
    assert_rate_limited(answers[5], '"booking-60s";q=30;w=60, "booking-1s";q=5;w=1')
    assert re.fullmatch(r'"booking-60s";r=24;t=\d+, "booking-1s";r=0;t=\d+',
                        answers[5].headers["ratelimit"])  # fmt: skip


async def test_anonymous_callers_are_limited_per_client_address():
    app, _ = limited_app(rate_limit_overrides={"availability": "2/minute"})
    async with client(app, "10.0.0.1") as first, client(app, "10.0.0.2") as second:
        path = "/v1/mentors/m1/availability"
        assert [(await first.get(path)).status_code for _ in range(2)] == [200, 200]
        assert_rate_limited(await first.get(path), '"availability";q=2;w=60')
        assert (await second.get(path)).status_code == 200
        head = await first.head(path)  # HEAD runs the GET handler: it counts as one
        assert (head.status_code, head.headers["retry-after"] > "0") == (429, True)
        # A signed-in caller from the same address has a counter of their own.
        mine = await first.get(path, headers=auth_headers("dave", "student"))
        assert mine.status_code == 200


async def test_routes_outside_every_group_carry_no_rate_limit_fields():
    app, _ = limited_app()
    async with client(app) as http:
        answer = await http.get("/v1/mine", headers=auth_headers("erin", "student"))
    assert answer.status_code == 200 and "ratelimit" not in answer.headers


async def test_repeated_401s_from_an_address_lock_it_out_with_429_and_others_pass():
    app, _ = limited_app(rate_limit_overrides={"auth-failures": "3/minute"})
    forged = {"Authorization": "Bearer not-a-token"}
    async with client(app, "10.0.0.7") as attacker, client(app, "10.0.0.8") as other:
        assert [(await attacker.get("/v1/mine", headers=forged)).status_code
                for _ in range(3)] == [401] * 3  # fmt: skip
        # Even a valid token from that address waits now; health stays visible.
        locked = await attacker.get("/v1/mine", headers=auth_headers("frank", "student"))
        assert_rate_limited(locked, '"auth-failures";q=3;w=60')
        assert (await attacker.get("/healthz")).status_code == 200
        assert (await other.get("/v1/mine", headers=auth_headers("gina", "student"))).is_success


def refused_webhooks() -> float:
    value = REGISTRY.get_sample_value(
        "mentorship_http_rate_limited_total", {"service": "payments", "group": "webhooks"}
    )
    return value or 0.0


async def test_webhooks_count_per_provider_whatever_the_address_and_every_429_is_counted():
    app, _ = limited_app("payments", rate_limit_overrides={"webhooks": "2/minute"})
    before = refused_webhooks()
    async with client(app, "10.0.1.1") as one, client(app, "10.0.1.2") as two:
        assert (await one.post("/v1/webhooks/stripe", content=b"{}")).status_code == 200
        assert (await two.post("/v1/webhooks/stripe", content=b"{}")).status_code == 200
        refused = await one.post("/v1/webhooks/stripe", content=b"{}")
    assert_rate_limited(refused, '"webhooks";q=2;w=60')
    assert refused_webhooks() == before + 1


def test_the_policy_table_names_every_group_of_the_issue_once_with_valid_limits():
    names = [group.name for group in GROUPS]
    assert sorted(names) == sorted(
        ["checkout", "booking", "availability", "search", "webhooks", "token", "auth-failures"]
    )
    for group in GROUPS:
        assert group.items(), group.name
    routes = [(r.service, r.method, r.path) for group in GROUPS for r in group.routes]
    assert len(routes) == len(set(routes)), "a route belongs to one group only"


def test_overrides_name_a_known_group_and_a_readable_limit():
    assert with_overrides({"search": "5/second"})[3].limits == "5/second"
    with pytest.raises(ValueError, match="no rate-limit group 'serch'"):
        with_overrides({"serch": "5/second"})
    with pytest.raises(ValueError, match="not valid"):
        with_overrides({"search": "lots"})


def redis_reachable() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.3):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_reachable(), reason="no Redis on 127.0.0.1:6379 (CI's default)")
async def test_two_replicas_on_redis_share_one_counter():
    shared = {
        "rate_limit_storage_url": "redis://127.0.0.1:6379/0",
        "rate_limit_key_prefix": f"test-{uuid.uuid4().hex}",  # this test's keys alone
        "rate_limit_overrides": {"booking": "4/minute"},
    }
    first, _ = limited_app(**shared)
    second, _ = limited_app(**shared)
    me = auth_headers("hana", "student")
    async with client(first) as a, client(second) as b:
        statuses = [(await replica.post("/v1/sessions", headers=me)).status_code
                    for replica in (a, b, a, b)]  # fmt: skip
        assert statuses == [200] * 4
        assert_rate_limited(await b.post("/v1/sessions", headers=me), '"booking";q=4;w=60')
        assert_rate_limited(await a.post("/v1/sessions", headers=me), '"booking";q=4;w=60')


async def test_an_unreachable_redis_falls_back_to_local_counts_with_a_metric():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app, _ = limited_app(
        rate_limit_storage_url=f"redis://127.0.0.1:{port}/0",
        rate_limit_overrides={"booking": "2/minute"},
    )
    labels = {"service": "booking"}
    before = REGISTRY.get_sample_value("mentorship_rate_limit_storage_failures_total", labels)
    me = auth_headers("ivan", "student")
    async with client(app) as http:
        assert (await http.post("/v1/sessions", headers=me)).status_code == 200
        assert (await http.post("/v1/sessions", headers=me)).status_code == 200
        assert_rate_limited(await http.post("/v1/sessions", headers=me), '"booking";q=2;w=60')
    after = REGISTRY.get_sample_value("mentorship_rate_limit_storage_failures_total", labels)
    assert after is not None and after > (before or 0.0)
