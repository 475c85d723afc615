"""The mentor document and the rules it derives from facts, without a database."""

from datetime import UTC, date, datetime

import pytest

from search.domain.document import Facts, Profile, build_document, day_starts
from search.domain.experience import ExperienceLevel, experience_level
from search.domain.highlight import highlight
from search.domain.query import AvailabilityWindow, TimeRange, available_in, window_range
from search.domain.text import fold, key, query_words

PROFILE = Profile(
    display_name="Zoë",
    title="CTO",
    company="Café",
    bio="",
    specialties=("Machine Learning", "machine  learning", "SQL"),
    job_family="Data_Science",
    years_experience=7,
    timezone="Europe/Paris",
    accepting_students=True,
)


@pytest.mark.parametrize(
    "years,level",
    [
        (0, "junior"),
        (2, "junior"),
        (3, "mid"),
        (6, "mid"),
        (7, "senior"),
        (11, "senior"),
        (12, "staff"),
        (40, "staff"),
    ],
)
def test_experience_levels_are_half_open_ranges_of_years(years, level):
    assert experience_level(years) is ExperienceLevel(level)


def test_a_mentor_without_a_profile_is_not_listed():
    assert build_document(Facts("m1", open_seats=3, rating=(4.0, 2))) is None


def test_full_seats_mean_not_accepting_whatever_the_profile_says():
    assert build_document(Facts("m1", profile=PROFILE, open_seats=0)).accepting_students is False
    assert build_document(Facts("m1", profile=PROFILE, open_seats=2)).accepting_students is True
    assert build_document(Facts("m1", profile=PROFILE)).accepting_students is True


def test_keys_are_folded_and_specialties_deduplicated():
    document = build_document(Facts("m1", profile=PROFILE))
    assert document.job_family == "data_science"
    assert document.specialty_keys == ("machine learning", "sql")
    assert document.experience_level is ExperienceLevel.senior
    assert document.rating_count == 0 and document.price_amount is None


def test_day_starts_are_midnight_in_the_mentors_zone():
    [start] = day_starts((date(2026, 7, 1),), "Europe/Paris")
    assert datetime.fromtimestamp(start, UTC) == datetime(2026, 6, 30, 22, 0, tzinfo=UTC)


def test_today_runs_from_now_to_the_callers_midnight_across_a_dst_change():
    now = datetime(2026, 3, 8, 5, 0, tzinfo=UTC)  # New York: March 8, 00:00 EST; DST at 02:00
    today = window_range(AvailabilityWindow.today, timezone="America/New_York", now=now)
    week = window_range(AvailabilityWindow.week, timezone="America/New_York", now=now)
    assert today.start == int(now.timestamp())
    assert datetime.fromtimestamp(today.end, UTC) == datetime(2026, 3, 9, 4, 0, tzinfo=UTC)
    assert datetime.fromtimestamp(week.end, UTC) == datetime(2026, 3, 15, 4, 0, tzinfo=UTC)


def test_a_day_overlapping_the_window_or_a_slot_inside_it_is_available():
    window = TimeRange(start=100_000, end=200_000)
    assert available_in(window=window, next_available_ts=150_000, day_starts=())
    assert not available_in(window=window, next_available_ts=200_000, day_starts=())
    assert available_in(window=window, next_available_ts=None, day_starts=(100_000 - 86_399,))
    assert not available_in(window=window, next_available_ts=None, day_starts=(100_000 - 86_400,))
    assert not available_in(window=window, next_available_ts=None, day_starts=(200_000,))


def test_text_is_folded_and_query_words_are_bounded():
    assert fold("Zoë ÅNGSTRÖM") == "zoe angstrom"
    assert key("  Machine   Learning ") == "machine learning"
    assert query_words("C++ and c++, SQL!") == ["c", "and", "sql"]
    assert len(query_words(" ".join(f"w{n}" for n in range(20)))) == 8


def test_highlight_marks_words_starting_with_a_term_and_keeps_the_original_text():
    assert highlight("Zoë Ångström", frozenset({"zoe"})) == "<mark>Zoë</mark> Ångström"
    assert highlight("Kubernetes, Go", frozenset({"kube"})) == "<mark>Kubernetes</mark>, Go"
    assert highlight("Python", frozenset({"rust"})) is None
    assert highlight("", frozenset({"a"})) is None
