"""Who takes part in one walk of the journey, and what the walk has made so far."""

import uuid
from dataclasses import dataclass, field
from typing import Any

from mentorship.journey.suite import Person, Suite

MENTOR_HOURS = {day: [{"start": "09:00", "end": "17:00"}] for day in
                ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}  # fmt: skip
PRODUCT = {
    "title": "Four sessions",
    "price_amount": 12000,
    "currency": "EUR",
    "sessions_count": 4,
    "session_minutes": 60,
    "validity_days": 30,
}
CAPACITY = 2


@dataclass(frozen=True)
class Cast:
    """A mentor, three students and an operator; ids unique per walk, so walks can repeat."""

    mentor: Person
    a: Person
    b: Person
    c: Person
    admin: Person

    @classmethod
    def fresh(cls, run: str | None = None) -> "Cast":
        run = run or uuid.uuid4().hex[:6]

        def person(key: str, role: str, name: str) -> Person:
            user_id = f"{key}-{run}"
            return Person(user_id, role, name, f"{user_id}@example.com")

        return cls(
            mentor=person("grace", "mentor", "Grace Hopper"),
            a=person("ada", "student", "Ada Lovelace"),
            b=person("alan", "student", "Alan Turing"),
            c=person("carol", "student", "Carol Shaw"),
            admin=person("ops", "admin", "Operator"),
        )

    @property
    def students(self) -> tuple[Person, Person, Person]:
        return (self.a, self.b, self.c)


@dataclass
class Journey:
    """The suite, the cast, and what the steps made (orders, packs, sessions) for later steps."""

    suite: Suite
    cast: Cast
    product_id: str = ""
    orders: dict[str, list[str]] = field(default_factory=dict)  # student id -> order ids
    sessions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # student -> booked
    shown: list[str] = field(default_factory=list)  # lines a demo prints besides the step's
    resent_mails: dict[str, int] = field(default_factory=dict)  # user id -> copies resent

    def orders_of(self, student: Person) -> list[str]:
        return self.orders.setdefault(student.user_id, [])

    def sessions_of(self, student: Person) -> list[dict[str, Any]]:
        return self.sessions.setdefault(student.user_id, [])
