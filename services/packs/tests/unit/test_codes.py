"""The packs domain owns its refusal codes; the wire contract spells exactly the same ones."""

from typing import get_args

from packs.domain.errors import IneligibleCode, RefusalCode
from packs.domain.model import HoldOutcome
from shared.messaging import packs_requests as contract


def test_every_eligibility_code_of_the_domain_is_a_code_of_the_contract_in_the_same_order():
    assert [code.value for code in IneligibleCode] == list(get_args(contract.IneligibleCode))


def test_every_refusal_code_the_contract_documents_is_one_the_domain_raises():
    documented = {
        contract.NO_SEAT_AVAILABLE,
        contract.HOLD_EXPIRED,
        contract.CREDIT_RELEASED,
        contract.SESSION_ID_CONFLICT,
    }
    assert documented <= {code.value for code in RefusalCode}


def test_a_hold_answers_only_outcomes_the_contract_allows():
    outcome = contract.SeatHoldReply.model_fields["outcome"].annotation
    assert {o.value for o in HoldOutcome} == set(get_args(outcome))
