"""The boundary types refuse what would reach Postgres as a 500 or be read as another fact."""

from typing import Annotated

import pytest
from pydantic import BaseModel, ValidationError

from shared.types import (
    Count,
    Currency,
    Day,
    IanaTimezone,
    Identifier,
    LongText,
    Paging,
    PatchModel,
    ShortText,
    Timestamp,
    UserId,
    int_range,
    line,
)


class Sample(BaseModel):
    name: ShortText = ""
    bio: LongText = ""
    user: Identifier = "u1"
    count: Count = 0
    at: Timestamp | None = None
    day: Day | None = None
    rating: Annotated[int, int_range(ge=1, le=5)] = 3
    label: Annotated[str, line(5)] = ""


def refused(**fields: object) -> str:
    with pytest.raises(ValidationError) as error:
        Sample.model_validate(fields)
    return error.value.errors()[0]["type"]


@pytest.mark.parametrize("bad", ["a\x00b", "tab\there", "bell\x07", "del\x7f", "c1\x85", "a\nb"])
def test_short_text_refuses_control_characters(bad: str) -> None:
    assert refused(name=bad) == "string_pattern_mismatch"


def test_long_text_keeps_line_breaks_but_refuses_nul() -> None:
    assert Sample(bio="line one\nline two\r\n\tindented").bio.startswith("line one")
    assert refused(bio="x\x00") == "string_pattern_mismatch"


def test_text_is_bounded() -> None:
    assert refused(name="x" * 201) == "string_too_long"
    assert refused(bio="x" * 5_001) == "string_too_long"
    assert refused(label="x" * 6) == "string_too_long"


def test_a_lone_surrogate_is_refused() -> None:
    assert refused(name="a\ud800") == "string_unicode"
    with pytest.raises(ValidationError):
        Sample.model_validate_json(b'{"name": "a\\ud800"}')


def test_identifiers_are_non_empty_without_whitespace() -> None:
    assert refused(user="") == "string_too_short"
    assert refused(user="a b") == "string_pattern_mismatch"
    assert refused(user="\x00") == "string_pattern_mismatch"
    assert Sample(user="user_2abcDEF").user == "user_2abcDEF"


@pytest.mark.parametrize("bad", [True, False])
def test_a_bool_is_not_an_integer(bad: bool) -> None:
    assert refused(count=bad) == "int_not_bool"
    assert refused(rating=bad) == "int_not_bool"


def test_integers_are_bounded_below_int64() -> None:
    assert refused(count=2**63) == "less_than_equal"
    assert refused(count=-1) == "greater_than_equal"
    assert refused(rating=6) == "less_than_equal"
    assert Sample.model_validate_json(b'{"count": 12}').count == 12


@pytest.mark.parametrize("bad", [1_700_000_000, 1.5, "1700000000", "yesterday"])
def test_an_instant_is_iso_text_not_a_number(bad: object) -> None:
    assert refused(at=bad) == "iso_datetime"


def test_an_instant_needs_an_offset_and_a_sane_year() -> None:
    assert refused(at="2026-05-01T09:00:00") == "timezone_aware"
    assert refused(at="0001-01-01T00:00:00Z") == "year_out_of_range"
    assert refused(day="0001-01-01") == "year_out_of_range"
    assert refused(day=20260501) == "iso_datetime"
    assert Sample(at="2026-05-01T09:00:00+02:00").at.utcoffset().total_seconds() == 7200


def test_paging_is_bounded() -> None:
    assert Paging() == Paging(limit=50, offset=0)
    for bad in ({"offset": 2**63}, {"offset": -1}, {"limit": 0}, {"limit": 10_000}):
        with pytest.raises(ValidationError):
            Paging.model_validate(bad)


def test_the_schema_documents_the_bounds() -> None:
    properties = Sample.model_json_schema()["properties"]
    assert properties["count"]["maximum"] == 2**31 - 1
    assert properties["name"]["maxLength"] == 200
    assert "pattern" in properties["name"]


class ProfilePatch(PatchModel):
    nullable = frozenset({"company"})

    title: ShortText | None = None
    count: Count | None = None
    company: ShortText | None = None


def test_a_patch_field_may_be_left_out_but_not_sent_as_null() -> None:
    assert ProfilePatch.model_validate({"count": 2}).model_dump(exclude_unset=True) == {"count": 2}
    with pytest.raises(ValidationError, match="title may be left out but not null"):
        ProfilePatch.model_validate({"title": None})
    assert ProfilePatch.model_validate({"company": None}).company is None  # declared nullable
    with pytest.raises(ValidationError):
        ProfilePatch.model_validate({"unknown": 1})


def test_a_patch_schema_does_not_advertise_a_refused_null() -> None:
    properties = ProfilePatch.model_json_schema()["properties"]
    assert properties["title"]["type"] == "string" and "default" not in properties["title"]
    assert properties["count"]["type"] == "integer"
    assert {"type": "null"} in properties["company"]["anyOf"]


class Boundary(BaseModel):
    user: UserId = "u1"
    zone: IanaTimezone = "UTC"
    currency: Currency = "EUR"


def boundary_refused(**fields: object) -> str:
    with pytest.raises(ValidationError) as error:
        Boundary.model_validate(fields)
    return error.value.errors()[0]["type"]


@pytest.mark.parametrize(
    "bad",
    ["../admin", "a/b", ".hidden", "admin\u202e", "\u202euser", "mentor\u200b1", "é", "a" * 101],
)
def test_a_user_id_keeps_to_its_alphabet(bad: str) -> None:
    assert boundary_refused(user=bad) in {"string_pattern_mismatch", "string_too_long"}


@pytest.mark.parametrize(
    "good", ["user_2abcDEF", "student-1", "mentor-1", "admin-1", "s1", "a.b@c:d", "a" * 100]
)
def test_clerk_style_and_fixture_user_ids_are_accepted(good: str) -> None:
    assert Boundary(user=good).user == good


@pytest.mark.parametrize("bad", ["localtime", "Factory", "posixrules", "Mars/Olympus", "utc", ""])
def test_only_iana_zone_names_are_time_zones(bad: str) -> None:
    assert boundary_refused(zone=bad) == "value_error"


@pytest.mark.parametrize("good", ["UTC", "Europe/Paris", "Asia/Kolkata", "America/St_Johns"])
def test_iana_zone_names_are_accepted(good: str) -> None:
    assert Boundary(zone=good).zone == good


@pytest.mark.parametrize("bad", ["ABC", "XXX", "XTS", "EU", "EURO", "e1r"])
def test_a_currency_is_an_iso_4217_code(bad: str) -> None:
    refusal = boundary_refused(currency=bad)
    assert refusal in {"currency_not_iso4217", "string_too_short", "string_too_long"}


def test_a_currency_is_stored_upper_case_and_its_schema_lists_the_codes() -> None:
    assert Boundary(currency="usd").currency == "USD"
    schema = Boundary.model_json_schema()["properties"]
    assert {"EUR", "USD", "JPY"} <= set(schema["currency"]["enum"])
    assert "ABC" not in schema["currency"]["enum"]
    assert "Europe/Paris" in schema["zone"]["enum"] and "localtime" not in schema["zone"]["enum"]
    assert "pattern" in schema["user"]
