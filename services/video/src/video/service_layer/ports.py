"""What the video use cases need besides a unit of work: time, rules, Agora, the rebuild,
the token records."""

from dataclasses import dataclass

from shared.clock import Clock
from shared.messaging.snapshots import ShadowRebuild
from video.adapters.agora import AgoraApp
from video.adapters.repositories import TokenRecords
from video.domain.access import JoinPolicy


@dataclass(frozen=True)
class Dependencies:
    clock: Clock
    policy: JoinPolicy
    agora: AgoraApp
    rebuild: ShadowRebuild
    tokens: TokenRecords
    """The token route's reads and writes, batched across requests (decision 0029)."""
    snapshot_page_size: int = 200
