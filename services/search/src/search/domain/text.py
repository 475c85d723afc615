"""Text as search sees it: accents and case do not matter, words are letters and digits."""

import re
import unicodedata

WORD = re.compile(r"[^\W_]+")
MAX_QUERY_WORDS = 8


def fold(text: str) -> str:
    """Lowercase without accents: 'Zoë Ångström' -> 'zoe angstrom'."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def query_words(text: str) -> list[str]:
    """The folded words of a query, in order, without repeats, at most MAX_QUERY_WORDS."""
    words: list[str] = []
    for word in WORD.findall(fold(text)):
        if word not in words:
            words.append(word)
    return words[:MAX_QUERY_WORDS]


def key(value: str) -> str:
    """The filter and facet key of a job family or specialty: folded, trimmed."""
    return " ".join(fold(value).split())
