"""Searching the embedded index: full text with typo expansion, filters, facets, one snapshot."""

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    String,
    and_,
    any_,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY, REGCONFIG, TSQUERY

from search.adapters.embedded_index import TEXT_CONFIG
from search.adapters.tables import mentor_index as idx
from search.domain.query import DAY_SECONDS, MentorSearch, SortOrder
from search.domain.text import query_words
from shared.db import AnyRow, DbConnection

MIN_TYPO_WORD = 4  # shorter words match only as prefixes: 'ml' is no typo of 'go'
SIMILAR_PER_WORD = 5
SAFE_TERM = re.compile(r"^[^\W_]+$")

# For each query word, the indexed words it may be a typo of (pg_trgm similarity >= 0.3),
# and the stemmed lexemes of the query (so that 'engineers' highlights 'engineer').
SIMILAR_WORDS = text(
    """
    SELECT q.word AS query_word, w.word AS similar
    FROM unnest(CAST(:words AS text[])) AS q(word)
    CROSS JOIN LATERAL (
        SELECT word FROM index_words
        WHERE length(q.word) >= :min_length AND word % q.word
        ORDER BY word <-> q.word, word
        LIMIT :per_word
    ) AS w
    """
)


@dataclass(frozen=True)
class TextMatch:
    """The tsquery for a query and the folded terms it may match (for highlighting)."""

    tsquery: str
    terms: frozenset[str]


async def text_match(db: DbConnection, q: str) -> TextMatch | None:
    """All words must match, each as a prefix or through a similar indexed word."""
    words = [word for word in query_words(q) if SAFE_TERM.match(word)]
    if not words:
        return None
    similar: dict[str, list[str]] = {word: [] for word in words}
    rows = await db.execute(
        SIMILAR_WORDS,
        {"words": words, "min_length": MIN_TYPO_WORD, "per_word": SIMILAR_PER_WORD},
    )
    for row in rows:
        if SAFE_TERM.match(row.similar) and row.similar != row.query_word:
            similar[row.query_word].append(row.similar)
    clauses = ["(" + " | ".join([f"{word}:*", *similar[word]]) + ")" for word in words]
    terms = frozenset(words) | {term for found in similar.values() for term in found}
    return TextMatch(tsquery=" & ".join(clauses), terms=terms)


def _tsquery(match: TextMatch) -> ColumnElement[Any]:
    return func.to_tsquery(literal(TEXT_CONFIG).cast(REGCONFIG), match.tsquery).cast(TSQUERY)


def conditions(query: MentorSearch, match: TextMatch | None) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if match is not None:
        found.append(idx.c.search_vector.op("@@")(_tsquery(match)))
    if query.job_family:
        found.append(idx.c.job_family == query.job_family)
    if query.min_price is not None:
        found.append(idx.c.price_amount >= query.min_price)
    if query.max_price is not None:
        found.append(idx.c.price_amount <= query.max_price)
    if query.experience_levels:
        found.append(idx.c.experience_level.in_([level.value for level in query.experience_levels]))
    if query.accepting_students is not None:
        found.append(idx.c.accepting_students.is_(query.accepting_students))
    if query.specialties:
        found.append(idx.c.specialty_keys.overlap(cast(list(query.specialties), ARRAY(String(50)))))
    if query.available is not None:
        window = query.available
        day = (
            func.unnest(idx.c.available_day_starts).table_valued("start").render_derived(name="day")
        )
        found.append(
            or_(
                and_(
                    idx.c.next_available_ts >= window.start,
                    idx.c.next_available_ts < window.end,
                ),
                exists(
                    select(1)
                    .select_from(day)
                    .where(
                        day.c.start > window.start - DAY_SECONDS,
                        day.c.start < window.end,
                    )
                ),
            )
        )
    return found


def order_by(query: MentorSearch, match: TextMatch | None) -> list[ColumnElement[Any]]:
    rating = (idx.c.rating_avg.desc().nulls_last(), idx.c.rating_count.desc())
    by_sort = {
        SortOrder.rating: rating,
        SortOrder.price_asc: (idx.c.price_amount.asc().nulls_last(),),
        SortOrder.price_desc: (idx.c.price_amount.desc().nulls_last(),),
        SortOrder.next_available: (idx.c.next_available_ts.asc().nulls_last(),),
    }
    if query.sort is SortOrder.relevance:
        first = (func.ts_rank_cd(idx.c.search_vector, _tsquery(match)).desc(),) if match else ()
        return [*first, *rating, idx.c.mentor_id]
    return [*by_sort[query.sort], idx.c.mentor_id]


async def search_rows(
    db: DbConnection, query: MentorSearch, match: TextMatch | None
) -> tuple[list[AnyRow], int, dict[str, dict[str, int]]]:
    """The page's rows, the total and the facet counts, from the connection's one snapshot."""
    where = and_(true(), *conditions(query, match))
    page = await db.execute(
        select(idx)
        .where(where)
        .order_by(*order_by(query, match))
        .limit(query.per_page)
        .offset(query.offset)
    )
    matched = (
        select(idx.c.job_family, idx.c.experience_level, idx.c.specialty_keys)
        .where(where)
        .cte("matched")
    )
    specialty = (
        func.unnest(matched.c.specialty_keys).table_valued("key").render_derived(name="specialty")
    )
    facet_rows = await db.execute(
        select(literal("total"), literal(""), func.count())
        .select_from(matched)
        .union_all(
            select(literal("job_family"), matched.c.job_family, func.count()).group_by(
                matched.c.job_family
            ),
            select(literal("experience_level"), matched.c.experience_level, func.count()).group_by(
                matched.c.experience_level
            ),
            select(literal("specialty"), specialty.c.key, func.count())
            .select_from(matched.join(specialty, true()))
            .group_by(specialty.c.key),
        )
    )
    total = 0
    facets: dict[str, dict[str, int]] = {"job_family": {}, "experience_level": {}, "specialty": {}}
    for name, value, count in facet_rows:
        if name == "total":
            total = count
        else:
            facets[name][value] = count
    return list(page), total, facets


SUGGEST = text(
    """
    SELECT mentor_id, display_name, title FROM mentor_index
    WHERE search_vector @@ to_tsquery(CAST(:config AS regconfig), :query)
    ORDER BY ts_rank_cd(search_vector, to_tsquery(CAST(:config AS regconfig), :query)) DESC,
             rating_avg DESC NULLS LAST, display_name, mentor_id
    LIMIT :limit
    """
)


async def suggest_rows(db: DbConnection, prefix: str, *, limit: int) -> list[AnyRow]:
    """Mentors with a word starting with each word of `prefix` (the last one still being typed)."""
    words = [word for word in query_words(prefix) if SAFE_TERM.match(word)]
    if not words:
        return []
    query = " & ".join(f"{word}:*" for word in words)
    return list(await db.execute(SUGGEST, {"config": TEXT_CONFIG, "query": query, "limit": limit}))


_ = (any_, BigInteger)
