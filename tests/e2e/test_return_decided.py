"""A customer's return arrives through the sales channel's API for a delivered order; the
seller rejects it in the panel with a reason; the operator finds it first in the claims queue,
approves it from its page and, when the units arrive back, receives them: they are back in
stock (`RETURN_RESTOCK_ON` is `received`, the default) and the seller's panel says so."""

from decimal import Decimal

import requests
from playwright.sync_api import expect

from pazar.claims.models import CancellationType, CancelledBy, Claim, ClaimStatus
from pazar.core.selectors import dynamic_setting_value
from pazar.fulfilment.models import Package
from pazar.fulfilment.services import package_deliver, package_ship
from tests.claims.factories import CancellationReasonFactory
from tests.e2e.conftest import operator_log_in, seller_sign_in
from tests.factories import (
    PASSWORD,
    OperatorFactory,
    SellerMembershipFactory,
    UserFactory,
    operator_token,
)
from tests.orders.conftest import make_shop
from tests.orders.factories import CargoCompanyFactory


def test_a_return_rejected_by_the_seller_is_approved_by_the_operator_and_restocked(
    live_server, new_page, shot
):
    # given: a delivered order of 2 units of a seller's offer (5 in stock before the order),
    # and the marketplace's reasons for returns
    shop = make_shop(stock=5)
    SellerMembershipFactory(
        seller=shop.offer.seller, user=UserFactory(username="returns-desk", email="r@acme.example")
    )
    operator = OperatorFactory(is_superuser=True, username="ops")
    headers = {"Authorization": f"Token {operator_token(operator)}"}
    placed = requests.post(
        f"{live_server.url}{shop.url('create_orders/')}",
        json=shop.body(number="WEB-8001", items=[shop.item(shop.offer, quantity=2)]),
        headers=headers,
        timeout=60,
    )
    assert placed.status_code == 201, placed.text
    assert shop.stock(shop.offer) == (Decimal(3), Decimal(2))
    package = Package.objects.get(order__number="WEB-8001")
    package = package_ship(
        package=package, shipping_company=CargoCompanyFactory(), tracking_number="T-8001"
    )
    package_deliver(package=package)
    reason = CancellationReasonFactory(
        cancellation_type=CancellationType.REFUND, subject="Beden uymadı"
    )
    item = package.items.get().order_item_id
    assert dynamic_setting_value("RETURN_RESTOCK_ON") == "received"

    # when: the customer's return of both units arrives through the channel's API
    opened = requests.post(
        f"{live_server.url}{shop.url('cancellation_requests/')}",
        json={
            "order_item": item, "reason": reason.pk, "quantity": 2,
            "cancellation_type": "refund", "remote_id": "RET-8001", "description": "Too small",
        },
        headers=headers,
        timeout=60,
    )  # fmt: skip
    assert opened.status_code == 201, opened.text
    claim = Claim.objects.get(order__number="WEB-8001")
    assert (claim.type, claim.status, claim.cancelled_by) == (
        CancellationType.REFUND, ClaimStatus.OPEN, CancelledBy.CUSTOMER,
    )  # fmt: skip

    # and the seller rejects it in the panel, with a reason
    page = new_page()
    seller_sign_in(page, live_server.url, "r@acme.example", PASSWORD)
    page.get_by_role("link", name="Cancellations and returns").click()
    row = page.locator(f"tr[data-claim='{claim.uuid}']")
    expect(row).to_contain_text("Return")
    expect(row).to_contain_text("Open")
    expect(row).to_contain_text("Too small")
    row.get_by_label("Reason").fill("The tags were removed")
    shot(page, "1-seller-claims")
    row.get_by_role("button", name="Reject the return").click()
    expect(page.get_by_text("The return is rejected")).to_be_visible()
    expect(page.locator(f"tr[data-claim='{claim.uuid}']")).to_contain_text("With the operator")
    shot(page, "2-rejected")

    # then: the operator finds it first in the queue and approves it from its page
    admin = new_page()
    operator_log_in(admin, live_server.url, "ops", PASSWORD)
    admin.goto(f"{live_server.url}/admin/claims/claim/")
    first_row = admin.locator("#result_list tbody tr").first
    expect(first_row).to_contain_text(str(claim.uuid))
    first_row.get_by_role("link", name=str(claim.uuid)).click()
    expect(admin.locator("#claim-history")).to_contain_text("The tags were removed")
    admin.locator("#decision-reason").fill("Receipt shown at the store")
    shot(admin, "3-operator-claim")
    admin.locator("#claim-decision").get_by_role("button", name="Approve").click()
    expect(admin.locator("#claim-status")).to_have_text("Approved")
    expect(admin.locator("#claim-history")).to_contain_text("Receipt shown at the store")
    expect(admin.locator("#claim-restocked")).to_contain_text("No")
    assert shop.stock(shop.offer) == (Decimal(3), Decimal(2))  # not back before they arrive

    # and when the units arrive back, the operator receives them: back in stock, once
    admin.locator("#claim-decision").get_by_role("button", name="Units received").click()
    expect(admin.get_by_text("The claim is updated.")).to_be_visible()
    expect(admin.locator("#claim-restocked")).to_contain_text("Yes")
    expect(
        admin.locator("#claim-decision").get_by_role("button", name="Units received")
    ).to_have_count(0)
    shot(admin, "4-received")
    claim.refresh_from_db()
    assert (claim.status, claim.escalated, claim.restocked) == (ClaimStatus.APPROVED, False, True)
    assert shop.stock(shop.offer) == (Decimal(5), Decimal(0))

    # the seller's panel shows the return approved and its units back
    page.goto(f"{live_server.url}/seller-center/panel/claims/?status=approved")
    row = page.locator(f"tr[data-claim='{claim.uuid}']")
    expect(row).to_contain_text("Approved")
    expect(row).to_contain_text("Back in stock")
    shot(page, "5-seller-sees-it-back")
    row.locator("a").first.click()
    expect(page.locator("#claim-restocked")).to_contain_text("Yes")
    history = page.locator("#claim-history")
    expect(history).to_contain_text("returns-desk")
    expect(history).to_contain_text("Marketplace")
    expect(history).to_contain_text("units received")
    expect(history).not_to_contain_text("ops")  # the operator's users are not named to sellers
    expect(page.locator("#claim-decision")).to_have_count(0)
    shot(page, "6-seller-claim-page")
