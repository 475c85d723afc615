"""HTTP models of the packs API."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field

from shared.types import int_range


class PackRead(BaseModel):
    id: UUID
    order_id: UUID
    student_id: str
    mentor_id: str
    status: str
    sessions_total: int
    sessions_used: int
    sessions_reserved: int
    remaining: int = Field(
        description="credits still bookable: total − used − reserved while the pack is active "
        "and before `expires_at`; 0 once it is refunded, expired or depleted"
    )
    voided: int = Field(
        description="credits that can no longer be booked because the pack was refunded or "
        "expired (total − used − reserved; reserved sessions of an expired pack still happen); "
        "0 while the pack is live"
    )
    session_minutes: int
    purchased_at: datetime
    expires_at: datetime
    seat_id: UUID
    seat_status: str
    grace_ends_at: datetime | None


class SeatRead(BaseModel):
    seat_id: UUID
    student_id: str
    status: str
    held_until: datetime | None
    grace_ends_at: datetime | None
    activated_at: datetime | None
    expires_at: datetime | None = Field(description="latest expiry of the seat's active packs")
    remaining: int = Field(description="credits still bookable on the seat's live packs")
    reserved: int = Field(description="credits held by booked sessions on its active packs")


class CapacityRead(BaseModel):
    mentor_id: str
    capacity: int
    live_seats: int
    open_seats: int


class MentorSeatsRead(CapacityRead):
    seats: list[SeatRead]


class CapacityUpdate(BaseModel):
    capacity: Annotated[int, int_range(ge=0, le=10_000)] = Field(
        description="students the mentor takes at once"
    )
