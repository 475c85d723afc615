"""The order of facts: an older fact never overwrites a newer one of the same group."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

NIL_EVENT = UUID(int=0)


@dataclass(frozen=True)
class Stamp:
    """When a fact happened and which event said it (the tie-break for equal times)."""

    at: datetime
    event_id: UUID = NIL_EVENT
