"""An order arrives from a sales channel; the seller ships it from the panel with a tracking
number; the operator sees the order's items move to shipped in the admin."""

import requests
from playwright.sync_api import expect

from pazar.fulfilment.models import Package
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


def test_an_order_arrives_the_seller_ships_it_and_the_operator_sees_it_shipped(
    live_server, new_page, shot
):
    # given: a channel selling a seller's offer, the seller's user, a carrier, an operator
    shop = make_shop(stock=5)
    seller = shop.offer.seller
    SellerMembershipFactory(
        seller=seller, user=UserFactory(username="ship-desk", email="ship@acme.example")
    )
    CargoCompanyFactory(erp_code="YK", name="Yurtiçi Kargo")
    operator = OperatorFactory(is_superuser=True, username="ops")

    # when: the channel sends an order with two units of the seller's offer
    sent = requests.post(
        f"{live_server.url}{shop.url('create_orders/')}",
        json=shop.body(number="WEB-7001", items=[shop.item(shop.offer, quantity=2)]),
        headers={"Authorization": f"Token {operator_token(operator)}"},
        timeout=60,
    )
    assert sent.status_code == 201, sent.text
    package = Package.objects.get(order__number="WEB-7001")

    # and the seller finds it among the packages to prepare and ships it
    page = new_page()
    seller_sign_in(page, live_server.url, "ship@acme.example", PASSWORD)
    page.get_by_role("link", name="Packages").click()
    row = page.locator(f"tr[data-package='{package.number}']")
    expect(row).to_contain_text("WEB-7001")
    expect(row).to_contain_text("Preparing")
    shot(page, "1-packages")
    row.get_by_role("link", name=package.number).click()
    expect(page.locator("#package-status")).to_have_text("Preparing")
    ship = page.locator("#action-ship")
    ship.get_by_label("Shipping company").select_option(label="Yurtiçi Kargo")
    ship.get_by_label("Tracking number").fill("YK123456789")
    ship.get_by_label("Tracking address (URL)").fill("https://track.example/YK123456789")
    shot(page, "2-ship-form")
    ship.get_by_role("button", name="Ship the package").click()

    # then: the package is shipped with its tracking number, and only invoicing is left
    expect(page.get_by_text("The package is shipped.")).to_be_visible()
    expect(page.locator("#package-status")).to_have_text("Shipped")
    expect(page.locator("#tracking-number")).to_have_text("YK123456789")
    expect(page.locator("#action-ship")).to_have_count(0)
    expect(page.locator("#package-history")).to_contain_text("ship-desk")
    shot(page, "3-shipped")

    # and the operator sees the order's items shipped, with the tracking number
    admin = new_page()
    operator_log_in(admin, live_server.url, "ops", PASSWORD)
    admin.goto(f"{live_server.url}/admin/orders/order/?q=WEB-7001")
    admin.get_by_role("link", name="WEB-7001").click()
    items = admin.locator("#order-items")
    expect(items).to_contain_text("Shipped (500)")
    expect(items).to_contain_text("YK123456789")
    expect(items).not_to_contain_text("Approved (400)")
    expect(admin.locator(f"#order-packages [data-package='{package.number}']")).to_contain_text(
        "Shipped"
    )
    shot(admin, "4-operator-order")

    # and the bar that closes the page covers none of its cards, wherever the page is scrolled
    admin.set_viewport_size({"width": 1440, "height": 900})
    cards = admin.locator("#order-overview .po-card")
    assert cards.count() == 5  # items, packages, claims and the two addresses
    for n in range(cards.count()):
        cards.nth(n).evaluate("(card) => card.scrollIntoView({block: 'end'})")
        assert not overlapping(admin.locator("#submit-row"), cards.nth(n)), n
    expect(admin.locator("#submit-row").get_by_role("link", name="Close")).to_be_visible()
    shot(admin, "5-operator-order-addresses")


def overlapping(first, second) -> bool:
    """Whether the two elements' boxes, as drawn in the window now, share any area."""
    a, b = first.bounding_box(), second.bounding_box()
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )
