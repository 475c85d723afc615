"""HTTP models of payments."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
# ISO 4217 alphabetic code; stored upper-case.
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{3}$"), AfterValidator(str.upper)]
PriceAmount = Annotated[int, Field(gt=0, le=100_000_000, description="minor units (cents)")]
SessionsCount = Annotated[int, Field(gt=0, le=100)]
SessionMinutes = Annotated[int, Field(ge=15, le=480)]
ValidityDays = Annotated[int, Field(gt=0, le=365)]


class ProductCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Title
    price_amount: PriceAmount
    currency: Currency
    sessions_count: SessionsCount = 4
    session_minutes: SessionMinutes = 60
    validity_days: ValidityDays = 30
    active: bool = True


class ProductUpdate(BaseModel):
    """Only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    price_amount: PriceAmount | None = None
    currency: Currency | None = None
    sessions_count: SessionsCount | None = None
    session_minutes: SessionMinutes | None = None
    validity_days: ValidityDays | None = None
    active: bool | None = None


class ProductRead(BaseModel):
    product_id: UUID
    mentor_id: str
    title: str
    price_amount: int
    currency: str
    sessions_count: int
    session_minutes: int
    validity_days: int
    active: bool
    created_at: datetime
    updated_at: datetime


class RefundRequestRead(BaseModel):
    order_id: UUID
    student_id: str
    mentor_id: str
    reason: str
    status: str
    requested_at: datetime
