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


class WaitlistPlaceRead(BaseModel):
    id: UUID
    mentor_id: str
    student_id: str
    status: str = Field(description="`waiting`, or `offered`: a seat is held for the student")
    position: int | None = Field(
        description="1 = the next seat freed is offered to this student; null while offered"
    )
    joined_at: datetime
    offer_id: UUID | None = Field(description="the standing offer (`waitlist.seat_offered`)")
    offer_expires_at: datetime | None = Field(
        description="check out before this time, or the seat passes to the next in line"
    )


class MentorWaitlistRead(BaseModel):
    mentor_id: str
    waiting: int = Field(description="students waiting (not counting standing offers)")
    offers: int = Field(description="seats held for students of the list right now")
    entries: list[WaitlistPlaceRead] = Field(description="in join order, first come first")
