"""Refusals know nothing of HTTP: one table maps each kind to a status, and the unit of work
records events only where it can write them."""

import pytest

from shared.errors import DomainError, ErrorKind, Forbidden, InvalidInput, NotFound, Unavailable
from shared.http.errors import STATUS_BY_KIND, status_for
from shared.messaging.events import PackDepleted
from shared.uow import UnitOfWork


def test_every_kind_of_refusal_has_exactly_one_http_status():
    assert set(STATUS_BY_KIND) == set(ErrorKind)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (NotFound("x"), 404),
        (Forbidden("x"), 403),
        (InvalidInput("x"), 422),
        (Unavailable("x"), 503),
        (DomainError("x"), 409),
        (DomainError("x", code="SEAT_TAKEN", kind=ErrorKind.not_found), 404),
    ],
)
def test_the_status_follows_the_kind_alone(error, status):
    assert status_for(error) == status


def test_a_refusal_keeps_its_stable_code_and_detail():
    error = NotFound("no pack 7", code="PACK_NOT_FOUND")
    assert (error.code, error.detail, error.kind) == ("PACK_NOT_FOUND", "no pack 7", "not_found")


def test_a_unit_of_work_without_an_outbox_refuses_to_record_an_event():
    uow = UnitOfWork(lambda: None)  # type: ignore[arg-type, return-value]  never entered
    with pytest.raises(RuntimeError, match="no outbox"):
        uow.record(
            PackDepleted(
                pack_id="00000000-0000-0000-0000-000000000001", student_id="s", mentor_id="m"
            )
        )


def test_every_not_configured_refusal_of_every_service_is_one_non_retryable_409():
    # Loaded so that their refusals are listed.
    import booking.domain.errors  # noqa: F401
    import notifications.domain.errors  # noqa: F401
    import payments.domain.errors  # noqa: F401
    import video.domain.errors  # noqa: F401
    from shared.errors import NotConfigured
    from shared.http.problem_types import _domain_error_classes

    named = [cls for cls in _domain_error_classes() if cls.code.endswith("NOT_CONFIGURED")]

    assert {cls.code for cls in named} >= {
        "CALENDAR_NOT_CONFIGURED",
        "DISCORD_NOT_CONFIGURED",
        "CLERK_WEBHOOKS_NOT_CONFIGURED",
    }
    for cls in named:
        assert issubclass(cls, NotConfigured), cls
        assert status_for(cls("x")) == 409, cls
