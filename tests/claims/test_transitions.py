"""A claim's state machine: every allowed move is recorded with who and when, every other one
is a 409 `claim_status_transition` that changes nothing."""

import pytest

from pazar.claims import services, transitions
from pazar.claims.models import CancelledBy, Claim
from pazar.core.errors import ApplicationError
from pazar.fulfilment.services import package_deliver, package_ship
from tests.factories import OperatorFactory
from tests.orders.factories import CargoCompanyFactory

pytestmark = pytest.mark.django_db


def _return(ordered) -> Claim:
    package_ship(package=ordered.package, shipping_company=CargoCompanyFactory(),
                 tracking_number="T1")  # fmt: skip
    package_deliver(package=ordered.package)
    [claim] = services.order_cancel(
        order=ordered.order,
        lines=[services.ClaimLine(order_item=ordered.single, reason=ordered.refund_reason)],
        cancelled_by=CancelledBy.CUSTOMER,
    )
    return claim


def _moves(claim: Claim) -> list[tuple[str, str, int]]:
    return [(e.from_status, e.to_status, e.by) for e in claim.history.order_by("pk")]


def test_a_return_goes_open_waiting_approved_completed(ordered):
    operator = OperatorFactory()
    claim = _return(ordered)

    claim = services.claim_wait(claim=claim)
    claim = services.claim_approve(claim=claim, by=CancelledBy.SELLER)
    claim = services.claim_complete(claim=claim, user=operator)

    assert claim.status == "completed"
    assert _moves(claim) == [("", "open", 1), ("open", "waiting", 3),
                             ("waiting", "approved", 2), ("approved", "completed", 3)]  # fmt: skip
    assert claim.history.last().user == operator
    ordered.single.refresh_from_db()
    assert ordered.single.cancel_status == "completed"


def test_a_return_the_seller_rejects_is_escalated_and_only_the_operator_may_approve_it(ordered):
    claim = services.claim_wait(claim=_return(ordered))
    claim = services.claim_reject(claim=claim, reason="Used", by=CancelledBy.SELLER)

    with pytest.raises(ApplicationError) as refused:
        services.claim_approve(claim=claim, by=CancelledBy.SELLER)
    claim.refresh_from_db()
    assert (claim.status, claim.escalated) == ("rejected", True)
    assert refused.value.code == "claim_status_transition"
    assert refused.value.status_code == 409

    claim = services.claim_approve(claim=claim, by=CancelledBy.OPERATOR, reason="Goodwill")
    assert claim.status == "approved"
    assert claim.history.last().reason == "Goodwill"


@pytest.mark.parametrize(
    ("moves", "illegal"),
    [
        ([], "complete"),
        (["wait", "approve", "complete"], "reject"),
        (["wait", "approve", "complete"], "approve"),
        (["wait", "approve"], "wait"),
        (["reject"], "reject"),
    ],
)
def test_an_illegal_move_is_a_409_and_changes_nothing(ordered, moves, illegal):
    claim = _return(ordered)
    act = {
        "wait": lambda c: services.claim_wait(claim=c),
        "approve": lambda c: services.claim_approve(claim=c),
        "reject": lambda c: services.claim_reject(claim=c, reason="no", by=CancelledBy.OPERATOR),
        "complete": lambda c: services.claim_complete(claim=c),
    }
    for move in moves:
        claim = act[move](claim)
    status, events = claim.status, claim.history.count()

    with pytest.raises(ApplicationError) as refused:
        act[illegal](claim)

    claim.refresh_from_db()
    assert (refused.value.code, refused.value.status_code) == ("claim_status_transition", 409)
    assert (claim.status, claim.history.count()) == (status, events)


def test_a_completed_cancellation_takes_no_action(ordered):
    [claim] = services.order_cancel(
        order=ordered.order,
        lines=[services.ClaimLine(order_item=ordered.own, reason=ordered.cancel_reason)],
    )

    assert claim.status == "completed"
    assert transitions.allowed_actions(claim.type, claim.status) == []
    for action in (services.claim_approve, services.claim_complete):
        with pytest.raises(ApplicationError):
            action(claim=claim)


def test_the_table_names_only_known_statuses():
    statuses = {"open", "waiting", "approved", "rejected", "completed"}
    for actions in transitions.ACTIONS.values():
        for sources, target in actions.values():
            assert sources <= statuses and target in statuses
