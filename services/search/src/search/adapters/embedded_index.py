"""Writing documents into the embedded backend's index: columns, weighted vector, vocabulary."""

from collections.abc import Sequence

from sqlalchemy import bindparam, text

from search.adapters.tables import mentor_index
from search.domain.document import MentorDocument
from shared.db import DbConnection

TEXT_CONFIG = "mentor_text"
WORDS_CONFIG = "mentor_words"
MAX_WORD = 100


def document_row(document: MentorDocument) -> dict[str, object]:
    return {
        "mentor_id": document.mentor_id,
        "display_name": document.display_name,
        "title": document.title,
        "company": document.company,
        "bio": document.bio,
        "specialties": list(document.specialties),
        "specialty_keys": list(document.specialty_keys),
        "job_family": document.job_family,
        "years_experience": document.years_experience,
        "experience_level": document.experience_level.value,
        "timezone": document.timezone,
        "accepting_students": document.accepting_students,
        "open_seats": document.open_seats,
        "price_amount": document.price_amount,
        "currency": document.currency,
        "rating_avg": document.rating_avg,
        "rating_count": document.rating_count,
        "next_available_at": document.next_available_at,
        "next_available_ts": document.next_available_ts,
        "available_days": list(document.available_days),
        "available_day_starts": list(document.available_day_starts),
    }


DOCUMENT_COLUMNS = [column.name for column in mentor_index.c if column.name != "search_vector"]

# Name and specialties weigh most (A), then title and company (B), then the bio (C).
UPSERT_SQL = f"""
    INSERT INTO mentor_index ({", ".join(DOCUMENT_COLUMNS)}, search_vector)
    VALUES (
        {", ".join(f":{name}" for name in DOCUMENT_COLUMNS)},
        setweight(to_tsvector('{TEXT_CONFIG}', :display_name), 'A')
        || setweight(to_tsvector('{TEXT_CONFIG}', array_to_string(:specialties, ' ')), 'A')
        || setweight(to_tsvector('{TEXT_CONFIG}', concat_ws(' ', :title, :company)), 'B')
        || setweight(to_tsvector('{TEXT_CONFIG}', :bio), 'C')
    )
    ON CONFLICT (mentor_id) DO UPDATE SET
        {", ".join(f"{name} = excluded.{name}" for name in DOCUMENT_COLUMNS[1:])},
        search_vector = excluded.search_vector
    """
DOCUMENT_PARAMETERS = [
    bindparam(column.name, type_=column.type)
    for column in mentor_index.c
    if column.name != "search_vector"
]
UPSERT = text(UPSERT_SQL).bindparams(*DOCUMENT_PARAMETERS)

# The folded words of every indexed text, in a stable order so that concurrent writers
# never wait on each other's words in opposite orders (no deadlock).
WORDS_SQL = f"""
    INSERT INTO index_words (word)
    SELECT DISTINCT word
    FROM unnest(tsvector_to_array(to_tsvector('{WORDS_CONFIG}', :texts))) AS word
    WHERE length(word) <= {MAX_WORD}
    ORDER BY word
    ON CONFLICT (word) DO NOTHING
    """
WORDS = text(WORDS_SQL)
# One document and its words in one statement (an event's reindex, issue 19).
UPSERT_WITH_WORDS = text(f"WITH document AS ({UPSERT_SQL}) {WORDS_SQL}").bindparams(
    *DOCUMENT_PARAMETERS
)


def _texts(document: MentorDocument) -> str:
    return " ".join(
        (
            document.display_name,
            document.title,
            document.company,
            document.bio,
            *document.specialties,
        )
    )


async def write_documents(
    connection: DbConnection, documents: Sequence[MentorDocument], *, with_vocabulary: bool = True
) -> None:
    """Upsert the documents; their words join the typo vocabulary unless the text is unchanged."""
    if not documents:
        return
    if len(documents) == 1:
        [document] = documents
        if with_vocabulary:
            row = {**document_row(document), "texts": _texts(document)}
            await connection.execute(UPSERT_WITH_WORDS, row)
        else:
            await connection.execute(UPSERT, document_row(document))
        return
    await connection.execute(UPSERT, [document_row(document) for document in documents])
    if with_vocabulary:
        await connection.execute(
            WORDS, {"texts": " ".join(_texts(document) for document in documents)}
        )


async def delete_all(connection: DbConnection) -> None:
    await connection.execute(mentor_index.delete())
