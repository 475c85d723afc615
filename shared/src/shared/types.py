"""Field types for everything that crosses a boundary: HTTP models, query and path parameters,
NATS request contracts and event payloads.

Text is bounded and carries no control characters (a NUL would reach Postgres as a 500);
integers are bounded and never a bool; instants are aware, ISO 8601, in a sane year range;
paging is bounded so that no offset overflows int64. Use the same type on both sides of a
boundary so that HTTP and events refuse the same inputs. For another bound, write
`Annotated[str, line(80)]` or `Annotated[int, int_range(ge=1, le=10)]`.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from importlib.resources import files
from typing import Annotated, Any, ClassVar, Generic, TypeVar

from annotated_types import Ge, GroupedMetadata, Le
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError
from pydantic_extra_types.currency_code import Currency as _ExtraCurrency

# ---- text -------------------------------------------------------------------------------

# C0 controls (NUL included), DEL and C1 controls; multi-line text keeps tab, LF and CR.
# Lone surrogates never get this far: pydantic refuses them as invalid unicode.
SINGLE_LINE = r"^[^\x00-\x1f\x7f-\x9f]*$"
MULTI_LINE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
NO_SPACE = r"^[^\s\x00-\x1f\x7f-\x9f]*$"


def line(max_length: int, *, min_length: int = 0) -> StringConstraints:
    """One line of at most `max_length` characters, no control characters."""
    return StringConstraints(min_length=min_length, max_length=max_length, pattern=SINGLE_LINE)


def lines(max_length: int, *, min_length: int = 0) -> StringConstraints:
    """At most `max_length` characters; tab and line breaks allowed, other controls not."""
    return StringConstraints(min_length=min_length, max_length=max_length, pattern=MULTI_LINE)


ShortText = Annotated[str, line(200)]
"""A name, title, label or short reason: one line, at most 200 characters."""

Text = Annotated[str, lines(1_000)]
"""A note or message: at most 1,000 characters, line breaks allowed."""

LongText = Annotated[str, lines(5_000)]
"""A bio or description: at most 5,000 characters, line breaks allowed."""

Identifier = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=NO_SPACE)]
"""An opaque id from outside (a user id, a provider's id, a code): 1–100 characters, no
whitespace or control characters."""

USER_ID_PATTERN = r"^[A-Za-z0-9_:@-][A-Za-z0-9_.:@-]{0,99}$"

UserId = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=USER_ID_PATTERN)]
"""The `sub` of a user's token: 1–100 characters of `A–Z a–z 0–9 _ . : @ -`, not starting
with a dot (Clerk ids look like `user_2abc…`). No slash, space, control, bidi or other
non-ASCII character, so an id never reads as a path (`../admin`) or displays as another."""

# ISO 4217 as pycountry keeps it, less the codes no one pays in (test XTS, none XXX,
# metals, bond units, SDR): pydantic-extra-types' `Currency` list.
ISO_4217_CODES = tuple(_ExtraCurrency.allowed_countries_list)
_ISO_4217 = frozenset(ISO_4217_CODES)


def _iso_4217(value: str) -> str:
    code = value.upper()
    if code not in _ISO_4217:
        raise PydanticCustomError(
            "currency_not_iso4217",
            "{value} is not an ISO 4217 currency code (for example EUR or USD)",
            {"value": value},
        )
    return code


Currency = Annotated[
    str,
    StringConstraints(min_length=3, max_length=3),
    AfterValidator(_iso_4217),
    WithJsonSchema({"type": "string", "enum": list(ISO_4217_CODES)}),
]
"""An ISO 4217 code (`EUR`, `USD`), read in any case and kept upper-case."""

# ---- integers ---------------------------------------------------------------------------

INT32_MAX = 2**31 - 1


def _refuse_bool(value: object) -> object:
    if isinstance(value, bool):
        raise PydanticCustomError("int_not_bool", "Input should be an integer, not a boolean")
    return value


@dataclass(frozen=True)
class int_range(GroupedMetadata):  # noqa: N801 - reads as a function in annotations
    """An int in [ge, le]; a bool is refused (pydantic's lax mode would read `true` as 1)."""

    ge: int
    le: int

    def __iter__(self) -> Iterator[Any]:
        yield Ge(self.ge)
        yield Le(self.le)
        yield BeforeValidator(_refuse_bool)  # wraps the bounded int: runs first


Count = Annotated[int, int_range(ge=0, le=INT32_MAX)]
"""A number of things (sessions, seats, attempts): 0 up to int32."""

PositiveCount = Annotated[int, int_range(ge=1, le=INT32_MAX)]
"""A number of things that is at least one."""

Minutes = Annotated[int, int_range(ge=1, le=24 * 60)]
"""A duration within a day, in minutes."""

MinorUnits = Annotated[int, int_range(ge=0, le=10**12)]
"""An amount of money in minor units (cents), never negative."""

# ---- instants ---------------------------------------------------------------------------

MIN_YEAR = 1970
MAX_YEAR = 2199
_ISO_DATE_START = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _iso_only(value: object) -> object:
    """No unix number and no bare digits: an instant crosses a boundary as ISO 8601 text."""
    if isinstance(value, datetime | date):
        return value
    if not isinstance(value, str) or not _ISO_DATE_START.match(value):
        raise PydanticCustomError(
            "iso_datetime", "Input should be an ISO 8601 date-time such as 2026-05-01T09:00:00Z"
        )
    return value


def _sane_year(value: date) -> date:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise PydanticCustomError(
            "year_out_of_range",
            "Year should be between {min} and {max}",
            {"min": MIN_YEAR, "max": MAX_YEAR},
        )
    return value


# The schema states the year range too (format plus a pattern on the year), so a generated
# client never sends an instant the service refuses.
SANE_YEAR_PATTERN = r"^(19[7-9][0-9]|2[01][0-9][0-9])-"
# A whole day, so that it also bounds a map's keys (Feb 29 left out rather than promised).
SANE_DAY_PATTERN = (
    r"^(19[7-9][0-9]|2[01][0-9][0-9])-((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])"
    r"|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)$"
)

Timestamp = Annotated[
    AwareDatetime,
    BeforeValidator(_iso_only),
    AfterValidator(_sane_year),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": SANE_YEAR_PATTERN}),
]
"""An aware instant (offset required), ISO 8601, year 1970–2199."""

Day = Annotated[
    date,
    BeforeValidator(_iso_only),
    AfterValidator(_sane_year),
    WithJsonSchema({"type": "string", "format": "date", "pattern": SANE_DAY_PATTERN}),
]
"""A calendar day `YYYY-MM-DD`, year 1970–2199."""

# ---- paging -----------------------------------------------------------------------------

MAX_PAGE_SIZE = 200
MAX_OFFSET = 100_000

T = TypeVar("T")


class Paging(BaseModel):
    """Which slice of a list to return; in a route: `paging: Annotated[Paging, Query()]`."""

    model_config = ConfigDict(frozen=True)

    limit: int = Field(default=50, ge=1, le=MAX_PAGE_SIZE, description="items per page")
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET, description="items to skip")


class Page(BaseModel, Generic[T]):
    """One slice of a list, with the total it was cut from."""

    items: list[T]
    total: int
    limit: int
    offset: int


# ---- PATCH bodies -----------------------------------------------------------------------


class PatchModel(BaseModel):
    """A PATCH body: only the fields sent change. Declare fields as `X | None = None`; a field
    may be left out but not sent as null (unless named in `nullable`), and the JSON schema
    says so instead of advertising a null it would refuse."""

    model_config = ConfigDict(extra="forbid")
    nullable: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="before")
    @classmethod
    def _refuse_null(cls, data: Any) -> Any:
        if isinstance(data, dict):
            nulls = sorted(
                name
                for name, value in data.items()
                if value is None and name in cls.model_fields and name not in cls.nullable
            )
            if nulls:
                raise PydanticCustomError(
                    "null_not_allowed",
                    "{fields} may be left out but not null",
                    {"fields": ", ".join(nulls)},
                )
        return data

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler.resolve_ref_schema(handler(core_schema))
        for name, field in schema.get("properties", {}).items():
            if name in cls.nullable or "anyOf" not in field:
                continue
            options = [option for option in field["anyOf"] if option.get("type") != "null"]
            if len(options) == 1:
                del field["anyOf"]
                field.update(options[0])
            else:
                field["anyOf"] = options
            if field.get("default", "") is None:
                del field["default"]
        return schema


# ---- time zones -------------------------------------------------------------------------


# The names of the IANA time zone database as the tzdata package lists them (its `zones`
# file), not `zoneinfo.available_timezones()`: that one walks the host's zoneinfo folder and
# finds `localtime` (the host's own zone, a different one on every machine). `Factory` is
# tzdata's placeholder for "zone not set yet", not a place.
NOT_A_PLACE = frozenset({"Factory"})
IANA_ZONES = tuple(
    sorted(set(files("tzdata").joinpath("zones").read_text(encoding="utf-8").split()) - NOT_A_PLACE)
)
_IANA_ZONES = frozenset(IANA_ZONES)


def _iana_timezone(value: str) -> str:
    if value not in _IANA_ZONES:
        raise ValueError(f"{value!r} is not an IANA time zone (for example 'Europe/Paris')")
    return value


IanaTimezone = Annotated[
    str,
    StringConstraints(max_length=64),
    AfterValidator(_iana_timezone),
    WithJsonSchema({"type": "string", "enum": list(IANA_ZONES)}),
]
"""An IANA time zone name (`Europe/Paris`, `UTC`), from the tzdata package's list."""
