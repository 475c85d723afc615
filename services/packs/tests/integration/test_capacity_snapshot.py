"""`snapshot.mentor_capacity` gives every mentor's numbers as they are now, page by page."""

import pytest

from packs.entrypoints.snapshots import MENTOR_CAPACITY_SNAPSHOT
from packs.service_layer.change_capacity import ChangeCapacity, change_capacity
from shared.messaging import RemoteError
from shared.messaging.events import MentorCapacityChanged
from shared.messaging.snapshots import SnapshotPage, SnapshotRequest, fetch_snapshot


async def test_the_snapshot_lists_every_mentor_once_with_its_current_open_seats(packs_app):
    await packs_app.buy("s1", "m1")
    await packs_app.buy("s2", "m1")
    await packs_app.hold("s3", "m2")
    await packs_app.buy("s4", "m3")
    await packs_app.run(change_capacity, ChangeCapacity("m3", 1))

    pages = [
        page
        async for page in fetch_snapshot(
            packs_app.runtime.bus.requester, aggregate=MENTOR_CAPACITY_SNAPSHOT, page_size=2
        )
    ]

    assert [len(page) for page in pages] == [2, 1]
    facts = [envelope.payload() for page in pages for envelope in page]
    assert all(isinstance(fact, MentorCapacityChanged) for fact in facts)
    assert [(f.mentor_id, f.capacity, f.live_seats, f.open_seats) for f in facts] == [
        ("m1", 10, 2, 8),
        ("m2", 10, 1, 9),
        ("m3", 1, 1, 0),
    ]


async def test_a_cursor_the_service_never_gave_is_refused_with_a_stable_code(packs_app):
    with pytest.raises(RemoteError) as refused:
        await packs_app.runtime.bus.requester.request(
            f"snapshot.{MENTOR_CAPACITY_SNAPSHOT}",
            SnapshotRequest(cursor="abc", limit=5),  # not base64 (no padding)
            SnapshotPage,
        )
    assert refused.value.code == "INVALID_CURSOR"
