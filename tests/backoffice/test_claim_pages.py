"""Claims in the back office: the seller panel's claims by status with a return's approval or
rejection, and the operator's queue (escalated returns first, then the oldest) with a claim's
page and its decision form, all through the claims services."""

import pytest
from django.test import Client

from pazar.claims.models import CancellationType, Claim, ClaimStatus
from pazar.claims.services import (
    ClaimLine,
    cancellation_request_create,
    claim_reject,
    claim_wait,
    order_cancel,
)
from pazar.core.services import dynamic_setting_set
from pazar.fulfilment.services import package_deliver, package_ship
from pazar.orders.models import OrderItem
from tests.backoffice.conftest import client_for
from tests.claims.factories import CancellationReasonFactory
from tests.factories import PASSWORD, OperatorFactory, SellerMembershipFactory, UserFactory
from tests.fulfilment import conftest as fulfilment
from tests.fulfilment.conftest import Placed

placed, cargo = fulfilment.placed, fulfilment.cargo
CLAIMS = "/seller-center/panel/claims/"


def returns_of(placed: Placed, cargo) -> list[Claim]:
    """The first seller's package delivered, and a return opened for each of its two lines."""
    package_ship(package=placed.package, shipping_company=cargo, tracking_number="T-1")
    package_deliver(package=placed.package)
    reason = CancellationReasonFactory(cancellation_type=CancellationType.REFUND)
    items = OrderItem.objects.filter(pk__in=placed.package.items.values("order_item"))
    return order_cancel(
        order=placed.order,
        lines=[ClaimLine(order_item=item, reason=reason) for item in items.order_by("pk")],
    )


@pytest.fixture
def panel(placed) -> Client:
    SellerMembershipFactory(
        user=UserFactory(username="returns-desk", email="returns@acme.example"),
        seller=placed.package.seller,
    )
    client = Client()
    client.post(
        "/seller-center/panel/sign-in/", {"email": "returns@acme.example", "password": PASSWORD}
    )
    return client


def test_the_seller_sees_their_returns_by_status_and_approves_one(panel, placed, cargo):
    first, second = returns_of(placed, cargo)

    page = panel.get(CLAIMS)

    assert page.status_code == 200
    assert page.context["counts"][ClaimStatus.OPEN] == 2
    html = page.content.decode()
    assert f'data-claim="{first.uuid}"' in html and f'data-claim="{second.uuid}"' in html
    response = panel.post(f"{CLAIMS}{first.uuid}/approve/", {"reason": ""})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == ClaimStatus.APPROVED
    assert [c.pk for c in panel.get(CLAIMS, {"status": "approved"}).context["page"]] == [first.pk]


def test_a_rejection_needs_a_reason_and_goes_to_the_operator(panel, placed, cargo):
    claim, _ = returns_of(placed, cargo)

    panel.post(f"{CLAIMS}{claim.uuid}/reject/", {"reason": ""})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.OPEN  # refused by the form: nothing changed

    panel.post(f"{CLAIMS}{claim.uuid}/reject/", {"reason": "worn, tags removed"})
    claim.refresh_from_db()
    assert (claim.status, claim.escalated) == (ClaimStatus.REJECTED, True)
    assert claim.history.last().reason == "worn, tags removed"
    # the seller may not decide it again: no form is offered, and a post is refused
    rows = dict(panel.get(CLAIMS).context["rows"])
    assert rows[next(c for c in rows if c.pk == claim.pk)] == []
    panel.post(f"{CLAIMS}{claim.uuid}/approve/", {"reason": ""})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED


def test_another_sellers_claim_is_a_404(panel, placed, cargo):
    claim, _ = returns_of(placed, cargo)
    other = Client()
    SellerMembershipFactory(
        user=UserFactory(email="other@beta.example"), seller=placed.other_package.seller
    )
    other.post(
        "/seller-center/panel/sign-in/", {"email": "other@beta.example", "password": PASSWORD}
    )

    assert f'data-claim="{claim.uuid}"' not in other.get(CLAIMS).content.decode()
    assert other.post(f"{CLAIMS}{claim.uuid}/approve/", {"reason": ""}).status_code == 404
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.OPEN


def test_the_operators_queue_puts_escalated_returns_first_then_the_oldest(db, placed, cargo):
    first, second = returns_of(placed, cargo)
    claim_reject(claim=second, reason="not ours")  # escalated, though newer
    operator = client_for(OperatorFactory(is_superuser=True))

    queue = operator.get("/admin/claims/claim/").context["cl"].result_list

    assert [c.pk for c in queue] == [second.pk, first.pk]


def test_the_operator_approves_an_escalated_return_from_its_page(db, placed, cargo):
    _, claim = returns_of(placed, cargo)
    claim_reject(claim=claim, reason="not ours")
    operator = client_for(OperatorFactory(is_superuser=True, username="ops"))

    page = operator.get(f"/admin/claims/claim/{claim.pk}/change/")
    assert page.status_code == 200
    assert page.context["decisions"] == ["approve", "reject"]  # the operator decides it again
    assert 'id="claim-history"' in page.content.decode()

    response = operator.post(
        f"/admin/claims/claim/{claim.pk}/decide/approve/", {"reason": "receipt shown"}
    )

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    last = claim.history.last()
    assert (last.user.username, last.reason) == ("ops", "receipt shown")
    operator.post(f"/admin/claims/claim/{claim.pk}/decide/complete/", {})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.COMPLETED
    # completed claims leave the queue (still under "all claims")
    assert claim.pk not in [
        c.pk for c in operator.get("/admin/claims/claim/").context["cl"].result_list
    ]
    assert claim.pk in [
        c.pk
        for c in operator.get("/admin/claims/claim/", {"queue": "all"}).context["cl"].result_list
    ]


def test_a_decision_needs_the_change_permission(db, placed, cargo):
    claim, _ = returns_of(placed, cargo)
    from tests.factories import staff_with_perms

    reader = client_for(staff_with_perms("claims.view_claim"))

    assert reader.get(f"/admin/claims/claim/{claim.pk}/change/").context["decisions"] == []
    assert reader.post(f"/admin/claims/claim/{claim.pk}/decide/approve/", {}).status_code == 403
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.OPEN


# --- receiving returned units, the restock setting, the operator's final word ---------------


def _decide(operator: Client, claim: Claim, action: str, reason: str = ""):
    return operator.post(f"/admin/claims/claim/{claim.pk}/decide/{action}/", {"reason": reason})


def test_the_operator_receives_an_approved_returns_units_and_they_are_back_in_stock_once(
    db, placed, cargo
):
    _, claim = returns_of(placed, cargo)  # all 3 units of the second line
    operator = client_for(OperatorFactory(is_superuser=True))
    assert placed.shop.stock(placed.second_offer) == (7, 3)

    _decide(operator, claim, "approve")
    assert placed.shop.stock(placed.second_offer) == (7, 3)  # RETURN_RESTOCK_ON: received
    page = operator.get(f"/admin/claims/claim/{claim.pk}/change/")
    assert page.context["decisions"] == ["receive", "complete"]

    assert _decide(operator, claim, "receive").status_code == 302

    claim.refresh_from_db()
    assert (claim.status, claim.restocked) == (ClaimStatus.APPROVED, True)
    assert claim.received_at is not None
    assert placed.shop.stock(placed.second_offer) == (10, 0)
    page = operator.get(f"/admin/claims/claim/{claim.pk}/change/")
    assert page.context["decisions"] == ["complete"]  # received once
    _decide(operator, claim, "receive")
    assert placed.shop.stock(placed.second_offer) == (10, 0)
    assert claim.history.filter(reason="received").count() == 1


def test_units_come_back_on_the_operators_approval_when_the_setting_says_so(db, placed, cargo):
    _, claim = returns_of(placed, cargo)
    dynamic_setting_set(key="RETURN_RESTOCK_ON", value="approved")
    operator = client_for(OperatorFactory(is_superuser=True))

    _decide(operator, claim, "approve")

    claim.refresh_from_db()
    assert (claim.status, claim.restocked) == (ClaimStatus.APPROVED, True)
    assert placed.shop.stock(placed.second_offer) == (10, 0)
    _decide(operator, claim, "receive")
    assert placed.shop.stock(placed.second_offer) == (10, 0)


def test_the_operators_rejection_of_an_escalated_return_is_final(db, placed, cargo):
    _, claim = returns_of(placed, cargo)
    claim_reject(claim=claim, reason="not ours")  # by the seller: escalated
    operator = client_for(OperatorFactory(is_superuser=True, username="ops"))

    _decide(operator, claim, "reject", "no receipt")

    claim.refresh_from_db()
    assert (claim.status, claim.escalated) == (ClaimStatus.REJECTED, False)
    assert claim.history.last().reason == "no receipt"
    assert operator.get(f"/admin/claims/claim/{claim.pk}/change/").context["decisions"] == []
    assert claim.pk not in [
        c.pk for c in operator.get("/admin/claims/claim/").context["cl"].result_list
    ]
    assert placed.shop.stock(placed.second_offer) == (7, 3)


def test_the_operator_must_give_a_reason_to_reject(db, placed, cargo):
    claim, _ = returns_of(placed, cargo)
    operator = client_for(OperatorFactory(is_superuser=True))

    _decide(operator, claim, "reject")

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.OPEN
    assert claim.history.count() == 1


# --- the seller's claim page ----------------------------------------------------------------


def test_the_sellers_claim_page_shows_its_history_and_decides_from_there(panel, db, placed, cargo):
    claim, _ = returns_of(placed, cargo)
    claim_wait(claim=claim, user=OperatorFactory(username="ops-desk"))

    page = panel.get(f"{CLAIMS}{claim.uuid}/")

    assert page.status_code == 200
    assert page.context["actions"] == ["approve", "reject"]
    history = [(event.to_status, who) for event, who in page.context["history"]]
    assert history == [(ClaimStatus.OPEN, "System"), (ClaimStatus.WAITING, "Marketplace")]
    assert "ops-desk" not in page.content.decode()  # the operator's users are not named

    response = panel.post(f"{CLAIMS}{claim.uuid}/reject/", {"reason": "worn", "back": "claim"})

    assert response.status_code == 302 and response.url == f"{CLAIMS}{claim.uuid}/"
    page = panel.get(f"{CLAIMS}{claim.uuid}/")
    assert page.context["actions"] == []
    assert page.context["history"][-1][1] == "returns-desk"


def test_another_sellers_claim_page_is_a_404(panel, db, placed):
    theirs = cancellation_request_create(
        order_item=OrderItem.objects.get(order=placed.order, product=placed.shop.other_offer),
        cancellation_type=CancellationType.CANCEL,
        reason=CancellationReasonFactory(cancellation_type=CancellationType.CANCEL),
    )

    assert panel.get(f"{CLAIMS}{theirs.uuid}/").status_code == 404


def test_the_seller_approves_a_cancellation_request_and_its_units_are_cancelled(panel, db, placed):
    line = OrderItem.objects.get(order=placed.order, product=placed.second_offer)
    reason = CancellationReasonFactory(cancellation_type=CancellationType.CANCEL)
    claim = cancellation_request_create(
        order_item=line, cancellation_type=CancellationType.CANCEL, reason=reason, quantity=2
    )
    assert placed.shop.stock(placed.second_offer) == (7, 3)
    page = panel.get(f"{CLAIMS}{claim.uuid}/")
    assert page.context["actions"] == ["approve", "reject"]
    assert "Approve the cancellation" in page.content.decode()

    page = panel.post(
        f"{CLAIMS}{claim.uuid}/approve/", {"reason": "", "back": "claim"}, follow=True
    )

    assert "The cancellation is approved: the units are cancelled." in page.content.decode()
    assert page.context["actions"] == []
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.COMPLETED
    assert placed.shop.stock(placed.second_offer) == (9, 1)
