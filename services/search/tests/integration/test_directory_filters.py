"""Filters, facets, sorts and pages on a seeded directory, against expectations computed here.

The expectations below re-derive every rule from the generated facts with plain Python
(year ranges, the caller's day in their zone, lowest active price), not with search's code.
"""

import random
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from search.adapters.embedded_backend import EmbeddedBackend
from search.adapters.shadows import directory_shadows
from search.config import Settings
from search.domain.stamp import Stamp
from search.main import ALEMBIC_INI, create_app
from search.service_layer.dependencies import Dependencies
from search.service_layer.record_facts import record_facts
from shared.clock import FakeClock
from shared.db import make_connection_factory, make_engine
from shared.uow import UnitOfWork

MENTORS = 300
FAMILIES = ["software_engineering", "data_science", "product_management", "design"]
SPECIALTIES = ["kubernetes", "python", "rust", "leadership", "interviews", "sql", "figma"]
ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "UTC"]


@dataclass
class Seeded:
    mentor_id: str
    job_family: str
    years: int
    specialties: list[str]
    zone: str
    says_accepting: bool
    open_seats: int | None
    prices: list[tuple[int, bool]]  # (amount, active)
    rating: tuple[float, int] | None
    next_at: datetime | None
    days: list[date] = field(default_factory=list)

    @property
    def lowest_price(self) -> int | None:
        active = [amount for amount, is_active in self.prices if is_active]
        return min(active) if active else None

    @property
    def accepting(self) -> bool:
        return self.says_accepting and (self.open_seats is None or self.open_seats > 0)

    @property
    def level(self) -> str:
        if self.years < 3:
            return "junior"
        if self.years < 7:
            return "mid"
        return "senior" if self.years < 12 else "staff"


def generate(now: datetime) -> list[Seeded]:
    rng = random.Random(12)
    mentors = []
    for n in range(MENTORS):
        days = sorted(
            {now.date() + timedelta(days=rng.randint(-1, 40)) for _ in range(rng.randint(0, 3))}
        )
        mentors.append(
            Seeded(
                mentor_id=f"m{n:03d}",
                job_family=rng.choice(FAMILIES),
                years=rng.randint(0, 25),
                specialties=rng.sample(SPECIALTIES, rng.randint(1, 3)),
                zone=rng.choice(ZONES),
                says_accepting=rng.random() < 0.8,
                open_seats=rng.choice([None, 0, 1, 5]),
                prices=[
                    (rng.randrange(2_000, 40_000, 500), rng.random() < 0.8)
                    for _ in range(rng.randint(0, 3))
                ],
                rating=(round(rng.uniform(1, 5), 2), rng.randint(1, 50))
                if rng.random() < 0.7
                else None,
                next_at=now + timedelta(hours=rng.randint(1, 24 * 40))
                if rng.random() < 0.6
                else None,
                days=days,
            )
        )
    return mentors


def facts_of(m: Seeded, facts) -> list:
    events = [
        facts.profile(
            m.mentor_id,
            display_name=f"Mentor {m.mentor_id}",
            title="Mentor",
            bio="Mentoring.",
            specialties=[s.capitalize() for s in m.specialties],
            job_family=m.job_family,
            years_experience=m.years,
            timezone=m.zone,
            accepting_students=m.says_accepting,
        ),
        *(facts.product(m.mentor_id, price=amount, active=active) for amount, active in m.prices),
    ]
    if m.open_seats is not None:
        events.append(facts.seats(m.mentor_id, open_seats=m.open_seats))
    if m.rating is not None:
        events.append(facts.review(m.mentor_id, average=m.rating[0], count=m.rating[1]))
    if m.next_at is not None or m.days:
        events.append(facts.availability(m.mentor_id, next_at=m.next_at, days=m.days))
    return events


@pytest.fixture(scope="module")
async def seeded(databases, facts) -> AsyncIterator[tuple[str, list[Seeded]]]:
    """One directory database per module, seeded through the use cases; tests only read it."""
    name, url = await databases.create(ALEMBIC_INI)
    engine = make_engine(url)
    connections = make_connection_factory(engine)
    clock = FakeClock(facts.T0)
    deps = Dependencies(
        clock=clock,
        backend=EmbeddedBackend(connections),
        shadows=directory_shadows(connection_factory=connections, clock=clock),
    )
    mentors = generate(facts.T0)
    async with UnitOfWork(connections) as uow:
        for m in mentors:
            stamped = [(event, Stamp(facts.T0, uuid.uuid4())) for event in facts_of(m, facts)]
            await record_facts(stamped, uow=uow, deps=deps)
        await uow.commit()
    await engine.dispose()
    yield url, mentors
    await databases.drop(name)


@pytest.fixture
async def search_on_seed(seeded, event_probe, start_service, clock, drive):
    url, _ = seeded
    service = await start_service(
        create_app, Settings, ALEMBIC_INI, database_url=url, app_kwargs={"clock": clock}
    )
    return drive(service)


@pytest.fixture
def directory(seeded) -> list[Seeded]:
    return seeded[1]


async def everything(search_on_seed, **params) -> list[dict]:
    """Every hit across all pages, in the order served."""
    items, page = [], 1
    while True:
        result = await search_on_seed.search(**params, per_page=100, page=page)
        items += result["items"]
        if page >= result["pages"]:
            return items
        page += 1


def ids(items) -> list[str]:
    return [item["mentor_id"] for item in items]


def available_in_window(m: Seeded, *, start: datetime, end: datetime) -> bool:
    if m.next_at is not None and start <= m.next_at < end:
        return True
    zone = ZoneInfo(m.zone)
    for day in m.days:
        day_start = datetime.combine(day, time(), tzinfo=zone)
        day_end = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)
        if day_start < end and day_end > start:
            return True
    return False


async def test_each_filter_alone_and_combined_returns_exactly_the_matching_mentors(
    search_on_seed, directory
):
    cases = [
        ({"job_family": "data_science"}, lambda m: m.job_family == "data_science"),
        ({"job_family": "Data_Science"}, lambda m: m.job_family == "data_science"),
        ({"experience_level": "junior"}, lambda m: m.years < 3),
        ({"experience_level": "mid"}, lambda m: 3 <= m.years < 7),
        ({"experience_level": "senior"}, lambda m: 7 <= m.years < 12),
        ({"experience_level": "staff"}, lambda m: m.years >= 12),
        ({"min_price": 10_000}, lambda m: m.lowest_price is not None and m.lowest_price >= 10_000),
        ({"max_price": 8_000}, lambda m: m.lowest_price is not None and m.lowest_price <= 8_000),
        ({"accepting_students": "true"}, lambda m: m.accepting),
        ({"accepting_students": "false"}, lambda m: not m.accepting),
        ({"specialty": ["rust", "SQL"]}, lambda m: bool({"rust", "sql"} & set(m.specialties))),
        (
            {
                "job_family": "software_engineering",
                "min_price": 5_000,
                "max_price": 30_000,
                "accepting_students": "true",
                "specialty": "python",
            },
            lambda m: (
                m.job_family == "software_engineering"
                and m.lowest_price is not None
                and 5_000 <= m.lowest_price <= 30_000
                and m.accepting
                and "python" in m.specialties
            ),
        ),
    ]
    for params, rule in cases:
        expected = sorted(m.mentor_id for m in directory if rule(m))
        assert expected, f"the seed gives no mentor for {params}"
        found = await everything(search_on_seed, **params)
        assert sorted(ids(found)) == expected, params
        assert len(set(ids(found))) == len(found)


async def test_text_matches_specialties_and_facets_count_the_matched_set(search_on_seed, directory):
    result = await search_on_seed.search(q="kubernetes", job_family="design", per_page=5)
    matched = [m for m in directory if "kubernetes" in m.specialties and m.job_family == "design"]

    assert result["total"] == len(matched)
    levels: dict[str, int] = {}
    specialties: dict[str, int] = {}
    for m in matched:
        levels[m.level] = levels.get(m.level, 0) + 1
        for s in m.specialties:
            specialties[s] = specialties.get(s, 0) + 1
    assert result["facets"]["job_family"] == {"design": len(matched)}
    assert result["facets"]["experience_level"] == levels
    assert result["facets"]["specialty"] == specialties
    assert all(item["highlights"]["specialties"] for item in result["items"])
    assert "<mark>Kubernetes</mark>" in result["items"][0]["highlights"]["specialties"]


@pytest.mark.parametrize("window,days", [("today", 1), ("week", 7), ("month", 30)])
async def test_availability_windows_are_read_in_the_callers_time_zone(
    search_on_seed, directory, facts, window, days
):
    zone = ZoneInfo("America/New_York")
    now = facts.T0
    local_midnight = datetime.combine(now.astimezone(zone).date(), time(), tzinfo=zone)
    end = (local_midnight + timedelta(days=days)).astimezone(UTC)
    expected = sorted(m.mentor_id for m in directory if available_in_window(m, start=now, end=end))

    found = await everything(search_on_seed, available=window, tz="America/New_York")

    assert expected and sorted(ids(found)) == expected


async def test_sorts_order_by_price_rating_and_next_slot_with_unknowns_last(
    search_on_seed, directory
):
    by_price = await everything(search_on_seed, sort="price_asc")
    prices = [item["price_amount"] for item in by_price]
    known = [p for p in prices if p is not None]
    assert known == sorted(known) and prices[len(known) :] == [None] * (len(prices) - len(known))

    by_price_desc = [
        item["price_amount"] for item in await everything(search_on_seed, sort="price_desc")
    ]
    assert [p for p in by_price_desc if p is not None] == sorted(known, reverse=True)

    ratings = [item["rating_avg"] for item in await everything(search_on_seed, sort="rating")]
    rated = [r for r in ratings if r is not None]
    assert rated == sorted(rated, reverse=True) and len(rated) == sum(
        1 for m in directory if m.rating is not None
    )

    slots = [
        item["next_available_at"]
        for item in await everything(search_on_seed, sort="next_available")
    ]
    known_slots = [s for s in slots if s is not None]
    assert known_slots == sorted(known_slots)


async def test_pages_cover_the_result_once_with_a_total(search_on_seed, directory):
    pages = [await search_on_seed.search(per_page=37, page=n, sort="rating") for n in range(1, 10)]

    assert {page["total"] for page in pages} == {MENTORS}
    assert pages[0]["pages"] == 9
    seen = [item["mentor_id"] for page in pages for item in page["items"]]
    assert len(seen) == len(set(seen)) == MENTORS
    beyond = await search_on_seed.search(per_page=37, page=10)
    assert (beyond["items"], beyond["total"], beyond["empty"]) == ([], MENTORS, False)
