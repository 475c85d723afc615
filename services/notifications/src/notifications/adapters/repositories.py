"""The repositories notifications' use cases reach their data through: ports, implemented in SQL
by `contacts`, `deliveries`, `onboarding` and `names` of this package and in memory by the
unit tests' fakes."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol
from uuid import UUID

from notifications.domain.model import Channel, Contact, Delivery
from notifications.domain.retries import Transition
from shared.uow import RecordsEvents


class ContactRepository(Protocol):
    async def get(self, user_id: str) -> Contact | None: ...

    async def get_many(self, user_ids: set[str]) -> dict[str, Contact]: ...

    async def upsert(
        self, user_id: str, *, now: datetime, create: dict[str, Any], change: dict[str, Any]
    ) -> Contact:
        """Insert the contact with `create`, or update only the `change` fields of the one there."""
        ...

    async def change(
        self, user_id: str, *, now: datetime, values: dict[str, Any]
    ) -> Contact | None:
        """Update fields of a saved contact; None if there is none."""
        ...

    async def add_channel(self, user_id: str, channel: Channel) -> None:
        """Append the channel to the contact's default channels unless it is there."""
        ...

    async def erase(self, user_id: str) -> bool:
        """Delete the contact; True if there was one."""
        ...


class DeliveryRepository(Protocol):
    async def add_planned(self, planned: Sequence[Delivery]) -> list[Delivery]:
        """Insert those whose (event, channel, recipient) is new; returns the new ones."""
        ...

    async def wake_senders(self, channels: set[Channel]) -> None:
        """Tell every replica's senders, on commit, that rows of these channels are due."""
        ...

    async def claim_due(
        self, channel: Channel, *, now: datetime, lease: timedelta, limit: int
    ) -> list[Delivery]:
        """Lease up to `limit` due rows of the channel and count the attempt (SKIP LOCKED)."""
        ...

    async def settle_many(
        self, settlements: Sequence[tuple[Delivery, Transition]], *, now: datetime
    ) -> set[UUID]:
        """Record each claimed attempt's outcome where the row is still the one it claimed;
        the ids of the rows that took theirs."""
        ...

    async def get(self, delivery_id: UUID, *, lock: bool = False) -> Delivery | None: ...

    async def requeue(self, delivery_id: UUID, *, now: datetime, extra: int) -> Delivery:
        """Pending again now, with `extra` more attempts allowed."""
        ...

    async def bury_lost_last_attempts(self, *, now: datetime) -> int:
        """Rows whose last allowed attempt was claimed and never settled: dead."""
        ...

    async def forget_addresses(self, recipient: str) -> None:
        """Blank the addresses in a recipient's log (the log itself stays)."""
        ...


class OnboardingRepository(Protocol):
    async def start(
        self,
        student_id: str,
        *,
        event_id: UUID,
        now: datetime,
        remind_at: datetime,
        connected: bool,
    ) -> bool:
        """True if this is the student's first onboarding (one per student, ever)."""
        ...

    async def due_reminders(self, *, now: datetime, limit: int) -> list[str]:
        """Students due their reminder, oldest first, not locked."""
        ...

    async def claim_due_reminder(self, student_id: str, *, now: datetime) -> bool:
        """Lock the onboarding (SKIP LOCKED) if it is still due its reminder."""
        ...

    async def mark_reminded(self, student_id: str, *, now: datetime) -> None: ...

    async def mark_connected(self, student_id: str, *, now: datetime) -> None: ...

    async def erase(self, student_id: str) -> None: ...


class NameRepository(Protocol):
    async def get_many(self, user_ids: set[str]) -> dict[str, str]:
        """user id -> profile name, for the ids that are mentors with a profile."""
        ...

    async def remember(self, mentor_id: str, *, display_name: str, occurred_at: datetime) -> None:
        """Keep the name of the newest profile event; an older one changes nothing."""
        ...

    async def forget(self, mentor_id: str) -> None: ...


class NotificationsUnitOfWork(RecordsEvents, Protocol):
    """What a notifications use case takes as `uow`: its repositories and `record(event)`."""

    @property
    def contacts(self) -> ContactRepository: ...

    @property
    def deliveries(self) -> DeliveryRepository: ...

    @property
    def onboarding(self) -> OnboardingRepository: ...

    @property
    def names(self) -> NameRepository: ...
