"""The operator's side of orders: the order page (items with their status, packages with their
history, claims and refunds, addresses), the orders list's oversold flag, and the dashboard's
orders per hour and packages waiting."""

import pytest

from pazar.backoffice import dashboard
from pazar.claims.models import CancellationType
from pazar.claims.services import ClaimLine, order_cancel
from pazar.fulfilment.models import PackageStatus
from pazar.fulfilment.services import package_ship
from pazar.orders.models import OrderItem
from tests.backoffice.conftest import client_for
from tests.claims.factories import CancellationReasonFactory
from tests.factories import OperatorFactory, staff_with_perms
from tests.fulfilment import conftest as fulfilment
from tests.fulfilment.conftest import Placed

placed, cargo = fulfilment.placed, fulfilment.cargo


@pytest.fixture
def admin_site(db):
    return client_for(OperatorFactory(is_superuser=True))


def order_page(placed: Placed) -> str:
    return f"/admin/orders/order/{placed.order.pk}/change/"


def test_the_order_page_shows_each_items_status_and_the_packages_history(admin_site, placed, cargo):
    package_ship(package=placed.package, shipping_company=cargo, tracking_number="TRK-5")

    response = admin_site.get(order_page(placed))

    assert response.status_code == 200
    overview = response.context["overview"]
    by_package = {
        line.item.pk: (line.item.status, line.package.number if line.package else None)
        for line in overview.lines
    }
    shipped = {item.order_item_id for item in placed.package.items.all()}
    for item_id, (status, number) in by_package.items():
        if item_id in shipped:
            assert (status, number) == ("500", placed.package.number)
    assert len(overview.lines) == 4  # two of the first seller, one of the other, one own
    html = response.content.decode()
    assert "Shipped (500)" in html and "TRK-5" in html
    assert f'data-package="{placed.other_package.number}"' in html
    assert placed.order.shipping_address.line in html
    # the status is one field of the page, in words with its code
    fields = [
        line.field["name"]
        for fieldset in response.context["adminform"]
        for row in fieldset
        for line in row
    ]
    assert fields.count("status_label") == 1 and "status" not in fields


def test_the_order_page_shows_claims_and_what_they_refund(admin_site, placed):
    reason = CancellationReasonFactory(cancellation_type=CancellationType.CANCEL)
    item = OrderItem.objects.get(pk=placed.package.items.order_by("pk")[0].order_item_id)
    [claim] = order_cancel(order=placed.order, lines=[ClaimLine(order_item=item, reason=reason)])

    response = admin_site.get(order_page(placed))

    overview = response.context["overview"]
    assert [c.pk for c in overview.claims] == [claim.pk]
    assert overview.refund_total == claim.refund_amount
    html = response.content.decode()
    assert f'data-claim="{claim.uuid}"' in html and "Cancellation" in html


def test_the_orders_list_flags_orders_with_oversold_lines(admin_site, placed):
    OrderItem.objects.filter(pk=placed.order.items.first().pk).update(oversold=True)

    flagged = admin_site.get("/admin/orders/order/", {"oversold": "yes"})
    clean = admin_site.get("/admin/orders/order/", {"oversold": "no"})

    assert [o.pk for o in flagged.context["cl"].result_list] == [placed.order.pk]
    assert list(clean.context["cl"].result_list) == []


def test_the_dashboard_counts_todays_orders_and_the_packages_waiting(admin_site, placed, cargo):
    package_ship(package=placed.package, shipping_company=cargo, tracking_number="TRK-6")

    today = dashboard.orders_today()
    waiting = dashboard.packages_waiting()

    assert today.orders == 1 and sum(count for _, count in today.by_hour) == 1
    assert waiting.by_status == {PackageStatus.PREPARING: 1, PackageStatus.READY_TO_SHIP: 0}
    assert waiting.late == {PackageStatus.PREPARING: 0, PackageStatus.READY_TO_SHIP: 0}
    html = admin_site.get("/admin/dashboard/").content.decode()
    assert 'id="orders-today"' in html and 'id="packages-waiting"' in html


def test_the_order_plots_show_only_to_operators_who_may_read_orders(db):
    staff = client_for(staff_with_perms("batches.view_batchrequest"))
    html = staff.get("/admin/dashboard/").content.decode()
    assert 'id="orders-today"' not in html and 'id="packages-waiting"' not in html
