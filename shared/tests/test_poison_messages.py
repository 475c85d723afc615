"""Every poison message ends as one listed dead letter at its first delivery, never applied,
with a bounded number of log lines; a dead letter that cannot be stored backs off."""

import asyncio
import json
import time
import uuid

import nats
import pytest
from sqlalchemy import text

from shared.messaging import consumers, dead_letters, outcomes
from shared.messaging.consumers import NotReplayable
from shared.messaging.dead_letters import DeadLetterNotFound, DeadLetterReason
from shared.messaging.events import MentorUpdated, SessionCompleted
from shared.testing.helpers import eventually


def envelope(event_type: str, data: dict) -> bytes:
    return json.dumps(
        {
            "id": str(uuid.uuid4()),
            "type": event_type,
            "version": 1,
            "occurred_at": "2026-05-01T09:00:00Z",
            "producer": "booking",
            "correlation_id": "c1",
            "data": data,
        }
    ).encode()


SESSION = {"session_id": str(uuid.uuid4()), "mentor_id": "m1", "student_id": "s1"}
POISON = {
    "nul_garbage_on_session_completed": (
        "session.completed",
        b"\x00\x01garbage\x00",
        DeadLetterReason.unparseable,
    ),
    "not_json": ("session.completed", b"{not json", DeadLetterReason.unparseable),
    "nul_in_display_name": (
        "mentor.updated",
        envelope(
            "mentor.updated", {"mentor_id": "m1", "display_name": "a\u0000b", "timezone": "UTC"}
        ),
        DeadLetterReason.invalid_payload,
    ),
    "canceled_on_completed": (
        "session.completed",
        envelope(
            "session.canceled",
            {
                **SESSION,
                "starts_at": "2026-05-01T09:00:00Z",
                "canceled_by": "student",
                "late": False,
            },
        ),
        DeadLetterReason.type_mismatch,
    ),
    "number_as_timestamp": (
        "session.completed",
        envelope("session.completed", {**SESSION, "completed_at": 1_777_000_000}),
        DeadLetterReason.invalid_payload,
    ),
}


class RecordingLog:
    """Stands in for the consumers' logger: every line it would write, as (event, fields).
    (structlog's capture_logs misses loggers cached by an earlier configure.)"""

    def __init__(self) -> None:
        self.lines: list[tuple[str, dict]] = []

    def __getattr__(self, level: str):
        return lambda event, **fields: self.lines.append((event, fields))


@pytest.fixture
def logs(monkeypatch) -> RecordingLog:
    recording = RecordingLog()
    monkeypatch.setattr(consumers, "log", recording)
    monkeypatch.setattr(outcomes, "log", recording)
    return recording


@pytest.fixture
async def poisoned(make_bus, nats_url, namespace, event_probe):
    """A bus whose two consumers record what they apply."""
    applied: list[object] = []

    async def record(event, uow, envelope) -> None:
        applied.append(event)

    def register(bus) -> None:
        bus.consumers.on(SessionCompleted, purpose="completed")(record)
        bus.consumers.on(MentorUpdated, purpose="directory")(record)

    bus = make_bus(register=register, consumer_outage_backoff_seconds=(0.5, 1.0, 2.0))
    await bus.start()
    connection = await nats.connect(nats_url)
    yield bus, connection.jetstream(), applied
    await connection.close()


@pytest.mark.parametrize("kind", sorted(POISON))
async def test_each_poison_is_one_dead_letter_at_once_and_never_applied(
    poisoned, namespace, kind, logs
):
    bus, jetstream, applied = poisoned
    subject, body, reason = POISON[kind]
    await jetstream.publish(f"{namespace}.{subject}", body)
    letter = await wait_for_letters(bus, 1)
    await asyncio.sleep(1.0)  # a looping message would be redelivered many times by now

    letters = await list_letters(bus)
    assert len(letters) == 1
    assert (letter.reason, letter.attempts, letter.body) == (reason, 1, body)
    assert letter.error and "\x00" not in letter.error and len(letter.error) <= 1_000
    assert "\x00" not in letter.body_preview
    assert applied == []
    assert [event for event, _ in logs.lines] == ["event.dead_lettered"]
    assert all(len(str(fields)) < 2_000 for _, fields in logs.lines)
    with pytest.raises(NotReplayable):
        await bus.consumers.replay(letter.id)
    assert len(await list_letters(bus)) == 1  # a refused replay keeps the letter listed


async def test_a_consumer_whose_messages_keep_failing_is_reported(poisoned, namespace):
    bus, jetstream, _ = poisoned
    for _ in range(3):
        await jetstream.publish(f"{namespace}.session.completed", b"\x00")
    await wait_for_letters(bus, 3)
    failing = bus.consumers.health.failing()
    assert list(failing) == ["kernel-completed"]
    assert failing["kernel-completed"]["consecutive_failures"] == 3


async def test_a_dead_letter_that_cannot_be_stored_backs_off_then_is_stored(
    poisoned, namespace, logs
):
    bus, jetstream, _ = poisoned
    async with bus.connection_factory() as session:
        await session.execute(text("ALTER TABLE dead_letters RENAME TO dead_letters_away"))
        await session.commit()
    await jetstream.publish(f"{namespace}.session.completed", b"\x00\x01garbage\x00")
    await asyncio.sleep(2.5)
    async with bus.connection_factory() as session:
        await session.execute(text("ALTER TABLE dead_letters_away RENAME TO dead_letters"))
        await session.commit()
    started = time.monotonic()
    letter = await wait_for_letters(bus, 1)
    failures = [fields for event, fields in logs.lines if event == "event.dead_letter_not_stored"]
    # 0.5 s, 1 s, 2 s… deferrals: about three failed stores in 2.5 s, not one every 90 ms.
    assert 2 <= len(failures) <= 6, failures
    assert time.monotonic() - started < 5
    assert letter.attempts == len(failures) + 1


async def test_replay_of_an_unknown_or_out_of_range_id_is_not_found(poisoned):
    bus, _, _ = poisoned
    for dead_letter_id in (1, 0, -1, 2**63, 10**30):
        with pytest.raises(DeadLetterNotFound):
            await bus.consumers.replay(dead_letter_id)


async def list_letters(bus) -> list[dead_letters.DeadLetter]:
    async with bus.connection_factory() as session:
        return await dead_letters.list_all(session)


async def wait_for_letters(bus, count: int) -> dead_letters.DeadLetter:
    async def enough() -> list[dead_letters.DeadLetter] | None:
        letters = await list_letters(bus)
        return letters if len(letters) >= count else None

    return (await eventually(enough))[0]
