"""The reader's locale: a BCP 47 tag that Babel reads; English where we do not write theirs."""

from collections.abc import Iterable
from functools import lru_cache

from babel import Locale, UnknownLocaleError

ENGLISH = Locale("en")


@lru_cache(maxsize=512)
def parse_tag(tag: str) -> Locale:
    """`de`, `de-AT`, `de_CH`, `zh-Hant-TW` as Babel's Locale; ValueError if Babel cannot."""
    separator = "_" if "_" in tag else "-"
    try:
        return Locale.parse(tag, sep=separator)
    except (ValueError, TypeError, UnknownLocaleError) as exc:
        raise ValueError(f"{tag!r} is not a locale Babel knows (for example de or de-AT)") from exc


def bcp47(locale: Locale) -> str:
    """The tag in BCP 47 form: language, script, region, joined by hyphens (`zh-Hant-TW`)."""
    parts = (locale.language, locale.script, locale.territory, locale.variant)
    return "-".join(part for part in parts if part)


def reading_locale(tag: str | None, *, languages: Iterable[str]) -> Locale:
    """The locale a mail is written and formatted in: the reader's own when their language is
    one of `languages` (so `de-AT` keeps its region), else English."""
    try:
        locale = parse_tag(tag or "")
    except ValueError:
        return ENGLISH
    return locale if locale.language in set(languages) else ENGLISH
