"""Every decision note follows docs/decisions/TEMPLATE.md (plain file reading, no servers)."""

import re
from collections import Counter
from pathlib import Path

import pytest

DECISIONS = Path(__file__).resolve().parents[1] / "docs" / "decisions"
NOTES = sorted(DECISIONS.glob("[0-9][0-9][0-9][0-9]-*.md"))
SECTIONS = ["Status", "Context", "Decision", "Consequences"]
STATUS = re.compile(r"(Proposed|Accepted|Superseded by \d{4})\b")


def number(note: Path) -> int:
    return int(note.name[:4])


def sections(note: Path) -> list[tuple[str, str]]:
    """The note's `## ` headings in order, each with its text up to the next `## ` heading."""
    text = re.sub(r"<!--.*?-->", "", note.read_text(), flags=re.S)
    parts = re.split(r"^## +(.+?) *$", text, flags=re.M)
    return list(zip(parts[1::2], parts[2::2], strict=True))


notes = pytest.mark.parametrize("note", NOTES, ids=[note.name for note in NOTES])


@notes
def test_a_note_opens_with_its_own_number_and_a_title(note: Path) -> None:
    first_line = note.read_text().splitlines()[0]

    assert re.fullmatch(rf"# {note.name[:4]} — \S.*", first_line), first_line


@notes
def test_a_note_has_status_context_decision_and_consequences_first_and_in_that_order(
    note: Path,
) -> None:
    headings = [heading for heading, _ in sections(note)]

    assert headings[: len(SECTIONS)] == SECTIONS, headings


@notes
def test_every_section_of_a_note_has_text_under_it(note: Path) -> None:
    empty = [heading for heading, body in sections(note) if not body.strip()]

    assert not empty, f"empty sections: {empty}"


@notes
def test_a_status_says_proposed_accepted_or_superseded_by_a_later_note(note: Path) -> None:
    status = dict(sections(note)).get("Status", "").strip()
    numbers = {number(other) for other in NOTES}

    assert STATUS.match(status), status
    if re.search("superseded", status, re.IGNORECASE):
        named = [int(n) for n in re.findall(r"\b\d{4}\b", status)]
        assert named, "superseded by which note?"
        assert all(n in numbers and n > number(note) for n in named), named


def test_note_numbers_are_unique_and_run_from_0001_without_gaps() -> None:
    found = Counter(number(note) for note in NOTES)

    assert NOTES
    assert [n for n, count in found.items() if count > 1] == []
    assert sorted(found) == list(range(1, len(found) + 1))
