"""The seat hold at packs, over the packs request contract."""

from datetime import datetime
from uuid import UUID

from shared.messaging import packs_requests as contract
from shared.messaging.request_client import Requester


class PacksSeatHolds:
    """`hold()` raises RemoteError (packs refused, with its code) or RequestFailed (silent)."""

    def __init__(self, requester: Requester) -> None:
        self._requester = requester

    async def hold(
        self, *, order_id: UUID, student_id: str, mentor_id: str, hold_until: datetime
    ) -> contract.SeatHoldReply:
        request = contract.SeatHoldRequest(
            order_id=order_id, student_id=student_id, mentor_id=mentor_id, hold_until=hold_until
        )
        return await self._requester.request(contract.SEAT_HOLD, request, contract.SeatHoldReply)
