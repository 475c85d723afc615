"""HTTP model of a booked session's credit."""

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field

from packs.domain.model import CreditStatus, SettlementOutcome


class CreditRead(BaseModel):
    session_id: UUID
    pack_id: UUID | None = Field(
        description="the pack it was drawn from; null only when a release came before any reserve"
    )
    student_id: str
    mentor_id: str
    status: CreditStatus = Field(
        description="reserved (booked), consumed (completed, no-show or late cancel), "
        "released (back in the pack) or void (the pack was refunded)"
    )
    session_starts_at: datetime | None
    reserved_at: datetime | None
    settled_at: datetime | None = Field(description="when it left `reserved`, whichever way")
    consumed_at: datetime | None = Field(description="settled_at, when the status is consumed")
    outcome: SettlementOutcome | None = Field(description="why it left `reserved`")
