"""What every packs use case needs besides its command and unit of work: time and the policy."""

from dataclasses import dataclass

from packs.domain.policy import Policy
from shared.clock import Clock


@dataclass(frozen=True)
class Dependencies:
    clock: Clock
    policy: Policy
