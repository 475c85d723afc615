"""What a provider's report did to its order: a closed list, stored as the event's outcome."""

from enum import StrEnum


class OrderOutcome(StrEnum):
    paid = "paid"
    owed_back = "paid after it ended: refund required"
    failed = "failed"
    expired = "expired"
    refunded = "refunded"
    unchanged = "already settled"  # the report could not move the status forward
    awaiting_payment = "awaiting payment"
    amount_mismatch = "amount mismatch"  # not fulfilled; the mismatch is kept for operators
    refund_already_counted = "refund already counted"
    refund_without_amount = "refund without an amount"
    no_such_order = "no such order"
    ignored = "ignored"  # an event kind payments does not act on
    dead = "dead"  # the event can never apply; stored with its reason, as a dead letter
