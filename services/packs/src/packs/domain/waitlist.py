"""Waitlist rules: who may join a mentor's list (offers: `seat_changes.offer_free_seats`)."""

from packs.domain.errors import AlreadySeated, SeatAvailable
from packs.domain.model import Seat
from packs.domain.seats import open_seats


def check_join(*, live_seat: Seat | None, capacity: int, live: int) -> None:
    """A student joins only a full mentor's list, and only without a seat of their own.

    A seat of their own (a pack, its grace period, a checkout or an offer in progress) is
    `ALREADY_SEATED`; a free seat is `SEAT_AVAILABLE`: they should check out instead.
    """
    if live_seat is not None:
        raise AlreadySeated("you already have a seat with this mentor; renew instead")
    free = open_seats(capacity=capacity, live=live)
    if free > 0:
        raise SeatAvailable(f"this mentor has {free} free seat(s): check out instead")
