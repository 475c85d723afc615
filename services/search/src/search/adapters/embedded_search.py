"""Searching the embedded index: full text with typo expansion, filters, facets, one snapshot."""

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    String,
    and_,
    bindparam,
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


async def text_match(connection: DbConnection, q: str) -> TextMatch | None:
    """All words must match, each as a prefix or through a similar indexed word."""
    words = [word for word in query_words(q) if SAFE_TERM.match(word)]
    if not words:
        return None
    similar: dict[str, list[str]] = {word: [] for word in words}
    rows = await connection.execute(
        SIMILAR_WORDS,
        {"words": words, "min_length": MIN_TYPO_WORD, "per_word": SIMILAR_PER_WORD},
    )
    for row in rows:
        if SAFE_TERM.match(row.similar) and row.similar != row.query_word:
            similar[row.query_word].append(row.similar)
    clauses = ["(" + " | ".join([f"{word}:*", *similar[word]]) + ")" for word in words]
    terms = frozenset(words) | {term for found in similar.values() for term in found}
    return TextMatch(tsquery=" & ".join(clauses), terms=terms)


# The page and facet statements are built once per shape of query (which filters, which sort,
# text or not) with bind parameters, not per request (issue 19: no statement built per call).
@dataclass(frozen=True)
class Shape:
    text: bool
    job_family: bool
    min_price: bool
    max_price: bool
    experience_levels: bool
    accepting_students: bool
    specialties: bool
    available: bool
    sort: SortOrder


def shape_of(query: MentorSearch, match: TextMatch | None) -> Shape:
    return Shape(
        text=match is not None,
        job_family=bool(query.job_family),
        min_price=query.min_price is not None,
        max_price=query.max_price is not None,
        experience_levels=bool(query.experience_levels),
        accepting_students=query.accepting_students is not None,
        specialties=bool(query.specialties),
        available=query.available is not None,
        sort=query.sort,
    )


def parameters_of(query: MentorSearch, match: TextMatch | None) -> dict[str, Any]:
    """The values of the shape's bind parameters."""
    values: dict[str, Any] = {
        "tsquery": match.tsquery if match else None,
        "job_family": query.job_family,
        "min_price": query.min_price,
        "max_price": query.max_price,
        "experience_levels": [level.value for level in query.experience_levels],
        "accepting_students": query.accepting_students,
        "specialties": list(query.specialties),
        "limit": query.per_page,
        "offset": query.offset,
    }
    if query.available is not None:
        values |= {
            "window_start": query.available.start,
            "window_end": query.available.end,
            "day_after": query.available.start - DAY_SECONDS,
        }
    return values


def _tsquery() -> ColumnElement[Any]:
    tsquery = func.to_tsquery(literal(TEXT_CONFIG).cast(REGCONFIG), bindparam("tsquery"))
    return tsquery.cast(TSQUERY)


def conditions(shape: Shape) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if shape.text:
        found.append(idx.c.search_vector.op("@@")(_tsquery()))
    if shape.job_family:
        found.append(idx.c.job_family == bindparam("job_family"))
    if shape.min_price:
        found.append(idx.c.price_amount >= bindparam("min_price"))
    if shape.max_price:
        found.append(idx.c.price_amount <= bindparam("max_price"))
    if shape.experience_levels:
        found.append(idx.c.experience_level.in_(bindparam("experience_levels", expanding=True)))
    if shape.accepting_students:
        found.append(idx.c.accepting_students == bindparam("accepting_students"))
    if shape.specialties:
        found.append(
            idx.c.specialty_keys.overlap(cast(bindparam("specialties"), ARRAY(String(50))))
        )
    if shape.available:
        day = (
            func.unnest(idx.c.available_day_starts).table_valued("start").render_derived(name="day")
        )
        found.append(
            or_(
                and_(
                    idx.c.next_available_ts >= bindparam("window_start"),
                    idx.c.next_available_ts < bindparam("window_end"),
                ),
                exists(
                    select(1)
                    .select_from(day)
                    .where(
                        day.c.start > bindparam("day_after"),
                        day.c.start < bindparam("window_end"),
                    )
                ),
            )
        )
    return found


def order_by(shape: Shape) -> list[ColumnElement[Any]]:
    rating = (idx.c.rating_avg.desc().nulls_last(), idx.c.rating_count.desc())
    by_sort = {
        SortOrder.rating: rating,
        SortOrder.price_asc: (idx.c.price_amount.asc().nulls_last(),),
        SortOrder.price_desc: (idx.c.price_amount.desc().nulls_last(),),
        SortOrder.next_available: (idx.c.next_available_ts.asc().nulls_last(),),
    }
    if shape.sort is SortOrder.relevance:
        first = (func.ts_rank_cd(idx.c.search_vector, _tsquery()).desc(),) if shape.text else ()
        return [*first, *rating, idx.c.mentor_id]
    return [*by_sort[shape.sort], idx.c.mentor_id]


@cache
def statements(shape: Shape) -> tuple[Select[Any], CompoundSelect[str, str, int]]:
    """The page's statement and the facets' (with the total) for this shape of query."""
    where = and_(true(), *conditions(shape))
    page = (
        select(idx)
        .where(where)
        .order_by(*order_by(shape))
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    matched = (
        select(idx.c.job_family, idx.c.experience_level, idx.c.specialty_keys)
        .where(where)
        .cte("matched")
    )
    specialty = (
        func.unnest(matched.c.specialty_keys).table_valued("key").render_derived(name="specialty")
    )
    facets = (
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
    return page, facets


async def search_rows(
    connection: DbConnection, query: MentorSearch, match: TextMatch | None
) -> tuple[list[AnyRow], int, dict[str, dict[str, int]]]:
    """The page's rows, the total and the facet counts, from the connection's one snapshot."""
    page, facets_statement = statements(shape_of(query, match))
    parameters = parameters_of(query, match)
    rows = await connection.execute(page, parameters)
    facet_rows = await connection.execute(facets_statement, parameters)
    total = 0
    facets: dict[str, dict[str, int]] = {"job_family": {}, "experience_level": {}, "specialty": {}}
    for name, value, count in facet_rows:
        if name == "total":
            total = count
        else:
            facets[name][value] = count
    return list(rows), total, facets


SUGGEST = text(
    """
    SELECT mentor_id, display_name, title FROM mentor_index
    WHERE search_vector @@ to_tsquery(CAST(:config AS regconfig), :query)
    ORDER BY ts_rank_cd(search_vector, to_tsquery(CAST(:config AS regconfig), :query)) DESC,
             rating_avg DESC NULLS LAST, display_name, mentor_id
    LIMIT :limit
    """
)


async def suggest_rows(connection: DbConnection, prefix: str, *, limit: int) -> list[AnyRow]:
    """Mentors with a word starting with each word of `prefix` (the last one still being typed)."""
    words = [word for word in query_words(prefix) if SAFE_TERM.match(word)]
    if not words:
        return []
    query = " & ".join(f"{word}:*" for word in words)
    return list(
        await connection.execute(SUGGEST, {"config": TEXT_CONFIG, "query": query, "limit": limit})
    )
