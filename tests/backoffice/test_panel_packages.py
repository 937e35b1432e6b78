"""The seller panel's packages: the list by status, a package's page, and its action forms
(ready, ship, invoice, split, reject items) calling the fulfilment services. Another seller's
package is a 404; a refused move is a message and changes nothing."""

import pytest
from django.test import Client

from pazar.fulfilment.models import Package, PackageEvent, PackageStatus
from pazar.orders.models import OrderItem
from tests.factories import PASSWORD, SellerMembershipFactory, UserFactory
from tests.fulfilment import conftest as fulfilment
from tests.fulfilment.conftest import Placed

# The fulfilment tests' order of two sellers (and the carrier), placed through the channel API.
placed, cargo = fulfilment.placed, fulfilment.cargo

PANEL = "/seller-center/panel/"
PACKAGES = f"{PANEL}packages/"


def panel_of(seller, email: str) -> Client:
    SellerMembershipFactory(user=UserFactory(email=email), seller=seller)
    client = Client()
    response = client.post(f"{PANEL}sign-in/", {"email": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def panel(placed: Placed) -> Client:
    return panel_of(placed.package.seller, "packer@acme.example")


def page_of(placed: Placed, package: Package | None = None) -> str:
    return f"{PACKAGES}{(package or placed.package).number}/"


def act(panel, placed, action: str, data=None, package=None):
    return panel.post(f"{page_of(placed, package)}{action}/", data or {})


def statuses(package: Package) -> set[str]:
    return set(
        OrderItem.objects.filter(pk__in=package.items.values("order_item")).values_list(
            "status", flat=True
        )
    )


def test_the_list_shows_the_sellers_own_packages_with_counts_per_status(panel, placed):
    response = panel.get(PACKAGES)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-package="{placed.package.number}"' in html
    assert placed.other_package.number not in html  # the other seller's
    assert response.context["counts"][PackageStatus.PREPARING] == 1
    assert response.context["counts"][PackageStatus.SHIPPED] == 0


def test_the_list_filters_by_status_and_by_order_number(panel, placed):
    assert list(panel.get(PACKAGES, {"status": 4}).context["page"]) == []
    assert [p.number for p in panel.get(PACKAGES, {"status": 2}).context["page"]] == [
        placed.package.number
    ]
    found = panel.get(PACKAGES, {"q": placed.order.number}).context["page"]
    assert [p.number for p in found] == [placed.package.number]
    assert list(panel.get(PACKAGES, {"q": "NO-SUCH"}).context["page"]) == []


def test_a_package_page_shows_items_address_history_and_the_allowed_actions(panel, placed):
    response = panel.get(page_of(placed))

    assert response.status_code == 200
    html = response.content.decode()
    for item in placed.package.items.all():
        assert f'data-item="{item.number}"' in html
    address = placed.order.shipping_address
    assert address.line in html and address.city.name in html
    assert response.context["found"].allowed == [
        "ready",
        "ship",
        "invoice",
        "split",
        "reject-items",
    ]
    for form in ("action-ready", "action-ship", "action-invoice", "action-split", "action-reject"):
        assert f'id="{form}"' in html
    assert len(response.context["found"].history) == 1  # created


def test_another_sellers_package_is_a_404_on_every_url(panel, placed):
    other = placed.other_package
    assert panel.get(page_of(placed, other)).status_code == 404
    assert act(panel, placed, "ready", package=other).status_code == 404
    other.refresh_from_db()
    assert other.status == PackageStatus.PREPARING


def test_ready_then_ship_with_a_tracking_number_moves_the_items_to_shipped(panel, placed, cargo):
    assert act(panel, placed, "ready").status_code == 302
    assert placed.refresh().status == PackageStatus.READY_TO_SHIP

    response = act(
        panel,
        placed,
        "ship",
        {"ship-shipping_company": cargo.pk, "ship-tracking_number": "TRK-9",
         "ship-tracking_url": "https://track.example/TRK-9"},
    )  # fmt: skip

    assert response.status_code == 302
    package = placed.refresh()
    assert (package.status, package.tracking_number, package.shipping_company) == (
        PackageStatus.SHIPPED, "TRK-9", cargo,
    )  # fmt: skip
    assert statuses(package) == {"500"}
    event = PackageEvent.objects.filter(package=package).last()
    assert (event.from_status, event.to_status, event.user.email) == (3, 4, "packer@acme.example")
    page = panel.get(page_of(placed))
    assert "The package is shipped." in page.content.decode()
    assert page.context["found"].allowed == ["invoice"]


def test_shipping_without_a_tracking_number_shows_the_error_and_writes_nothing(
    panel, placed, cargo
):
    response = act(panel, placed, "ship", {"ship-shipping_company": cargo.pk})

    assert response.status_code == 400
    assert response.context["forms"]["ship"].errors["tracking_number"]
    assert placed.refresh().status == PackageStatus.PREPARING
    assert PackageEvent.objects.filter(package=placed.package).count() == 1


def test_a_move_the_status_no_longer_allows_is_a_message_and_changes_nothing(panel, placed, cargo):
    ship = {"ship-shipping_company": cargo.pk, "ship-tracking_number": "TRK-1"}
    act(panel, placed, "ship", ship)
    events = PackageEvent.objects.filter(package=placed.package).count()

    response = act(panel, placed, "ready")  # a second tab still showing the old page

    assert response.status_code == 302
    page = panel.get(response.url)
    assert "Not done" in page.content.decode()
    assert placed.refresh().status == PackageStatus.SHIPPED
    assert PackageEvent.objects.filter(package=placed.package).count() == events


def test_invoice_is_attached_through_the_form(panel, placed):
    response = act(
        panel, placed, "invoice",
        {"invoice-invoice_number": "INV-7", "invoice-invoice_date": "2025-01-03T10:00",
         "invoice-invoice_url": "https://inv.example/7.pdf"},
    )  # fmt: skip

    assert response.status_code == 302
    package = placed.refresh()
    assert (package.invoice_number, package.invoice_data, package.invoice_data_type) == (
        "INV-7", "https://inv.example/7.pdf", "URL",
    )  # fmt: skip
    assert {item.invoice_number for item in OrderItem.objects.filter(
        pk__in=package.items.values("order_item"))} == {"INV-7"}  # fmt: skip


def test_split_moves_the_chosen_units_to_a_new_package(panel, placed):
    second = placed.package.items.order_by("pk")[1]  # 3 units of the second offer
    response = act(panel, placed, "split", {f"split-units-{second.number}": 2})

    assert response.status_code == 302
    new = Package.objects.get(split_from=placed.package)
    assert [(i.order_item.quantity) for i in new.items.select_related("order_item")] == [2]
    assert (
        sum(i.order_item.quantity for i in placed.package.items.select_related("order_item")) == 2
    )


def test_split_with_no_unit_chosen_is_refused_by_the_form(panel, placed):
    response = act(panel, placed, "split", {})

    assert response.status_code == 400
    assert response.context["forms"]["split"].non_field_errors()
    assert not Package.objects.filter(split_from=placed.package).exists()


def test_reject_items_cancels_the_units_with_the_reason(panel, placed):
    first = placed.package.items.order_by("pk")[0]
    response = act(
        panel, placed, "reject-items",
        {f"reject-units-{first.number}": 1, "reject-reason": "damaged in the warehouse"},
    )  # fmt: skip

    assert response.status_code == 302
    first.order_item.refresh_from_db()
    assert first.order_item.status == "100"
    event = PackageEvent.objects.filter(package=placed.package).last()
    assert "damaged in the warehouse" in event.reason
    assert placed.refresh().status == PackageStatus.PREPARING  # the other item is still there


def test_an_unknown_action_is_a_404(panel, placed):
    assert act(panel, placed, "deliver").status_code == 404
    assert placed.refresh().status == PackageStatus.PREPARING
