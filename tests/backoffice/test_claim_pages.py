"""Claims in the back office: the seller panel's claims by status with a return's approval or
rejection, and the operator's queue (escalated returns first, then the oldest) with a claim's
page and its decision form, all through the claims services."""

import pytest
from django.test import Client

from pazar.claims.models import CancellationType, Claim, ClaimStatus
from pazar.claims.services import ClaimLine, order_cancel
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
    from pazar.claims.services import claim_reject

    claim_reject(claim=second, reason="not ours")  # escalated, though newer
    operator = client_for(OperatorFactory(is_superuser=True))

    queue = operator.get("/admin/claims/claim/").context["cl"].result_list

    assert [c.pk for c in queue] == [second.pk, first.pk]


def test_the_operator_approves_an_escalated_return_from_its_page(db, placed, cargo):
    _, claim = returns_of(placed, cargo)
    from pazar.claims.services import claim_reject

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
