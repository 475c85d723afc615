"""docs/architecture.md says what the code does: its event catalog and request subjects."""

from pathlib import Path

from shared.messaging import packs_requests
from shared.messaging.events import EVENTS, PRODUCERS

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"
SERVICES = {"payments", "packs", "booking", "notifications", "video", "search"}


def table_rows(heading: str) -> list[list[str]]:
    """The body rows of the first table under `## heading`, as lists of cell texts."""
    section = DOC.read_text().split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]


def producer_of_each_class() -> dict[str, str]:
    """Payload class -> the service whose module of `shared.messaging.events` declares it."""
    return {model.__name__: PRODUCERS[subject] for subject, model in EVENTS.items()}


def test_the_catalog_lists_every_event_once_with_its_payload_and_producer():
    rows = table_rows("Event catalog")
    subjects = [row[0] for row in rows]
    assert len(subjects) == len(set(subjects)), "a subject is listed twice"
    assert set(subjects) == set(EVENTS), (
        f"missing: {sorted(set(EVENTS) - set(subjects))}, "
        f"not events: {sorted(set(subjects) - set(EVENTS))}"
    )
    owners = producer_of_each_class()
    for subject, payload, producer, consumers in rows:
        assert EVENTS[subject].__name__ == payload, subject
        assert owners[payload] == producer, f"{subject} is in the {owners[payload]} section"
        assert set(consumers.split(", ")) <= SERVICES, subject


def test_the_packs_request_subjects_are_the_contract_module_s():
    rows = table_rows("Request subjects")
    documented = {row[0] for row in rows if row[1] == "packs"} - {
        row[0] for row in rows if row[0].startswith("snapshot.")
    }
    served = {
        packs_requests.SEAT_HOLD,
        packs_requests.CREDIT_RESERVE,
        packs_requests.CREDIT_RELEASE,
        packs_requests.ELIGIBILITY_GET,
    }
    assert documented == served
    assert all(row[1] in SERVICES for row in rows)
