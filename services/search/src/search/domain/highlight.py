"""Matched terms marked in a field's text, the way Meilisearch's `_formatted` marks them."""

from functools import lru_cache

from search.domain.text import WORD, fold

fold_word = lru_cache(maxsize=20_000)(fold)

PRE_TAG = "<mark>"
POST_TAG = "</mark>"


def highlight(text: str, terms: frozenset[str]) -> str | None:
    """`text` with every word that starts with a matched term marked; None if none matched."""
    if not terms or not text:
        return None
    folded = fold(text)
    if not any(term in folded for term in terms):  # the common case, in one pass
        return None
    pieces: list[str] = []
    position = 0
    marked = False
    for match in WORD.finditer(text):
        word = fold_word(match.group())
        if any(word.startswith(term) for term in terms):
            pieces.append(text[position : match.start()])
            pieces.append(f"{PRE_TAG}{match.group()}{POST_TAG}")
            position = match.end()
            marked = True
    if not marked:
        return None
    pieces.append(text[position:])
    return "".join(pieces)
