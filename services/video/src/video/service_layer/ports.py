"""What the video use cases need besides a unit of work: time, rules, Agora, the rebuild."""

from dataclasses import dataclass

from shared.clock import Clock
from shared.messaging.snapshots import ShadowRebuild
from video.adapters.agora import AgoraApp
from video.domain.access import JoinPolicy


@dataclass(frozen=True)
class Dependencies:
    clock: Clock
    policy: JoinPolicy
    agora: AgoraApp
    rebuild: ShadowRebuild
    snapshot_page_size: int = 200
