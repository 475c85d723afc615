"""Events that keep the mentor directory."""

from search import projection
from shared.clock import Clock
from shared.messaging import Envelope, MessageBus
from shared.messaging.events import MentorCapacityChanged, MentorUpdated, ReviewSubmitted
from shared.uow import UnitOfWork


def register(bus: MessageBus, *, clock: Clock) -> None:
    consumers = bus.consumers

    @consumers.on(MentorUpdated, purpose="mentor-updated")
    async def on_mentor_updated(event: MentorUpdated, uow: UnitOfWork, envelope: Envelope) -> None:
        await projection.apply_profile(
            event, uow=uow, occurred_at=envelope.occurred_at, now=clock.now()
        )

    @consumers.on(MentorCapacityChanged, purpose="mentor-capacity-changed")
    async def on_capacity_changed(
        event: MentorCapacityChanged, uow: UnitOfWork, envelope: Envelope
    ) -> None:
        await projection.apply_capacity(
            event, uow=uow, occurred_at=envelope.occurred_at, now=clock.now()
        )

    @consumers.on(ReviewSubmitted, purpose="review-submitted")
    async def on_review_submitted(
        event: ReviewSubmitted, uow: UnitOfWork, envelope: Envelope
    ) -> None:
        await projection.apply_rating(
            event, uow=uow, occurred_at=envelope.occurred_at, now=clock.now()
        )
