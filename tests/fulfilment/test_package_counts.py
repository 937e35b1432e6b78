"""PKG101's count for a status filter comes from the per-seller, per-status counts the services
keep with every new package and status move; they always equal the packages counted."""

from django.db.models import Count

from pazar.fulfilment.models import Package, PackageStatusCount
from pazar.fulfilment.services import (
    package_items_cancel,
    package_ready,
    package_ship,
    package_split,
)

API = "/seller-center/api/i2/packages/"


def kept(seller) -> dict[int, int]:
    return {
        row.status: row.count
        for row in PackageStatusCount.objects.filter(seller=seller)
        if row.count
    }


def counted(seller) -> dict[int, int]:
    return dict(
        Package.objects.filter(seller=seller)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )


def test_the_counts_follow_intake_moves_splits_and_cancellations(placed, cargo):
    seller = placed.package.seller
    assert kept(seller) == counted(seller) == {2: 1}

    second = placed.package.items.order_by("pk")[1]
    new = package_split(package=placed.package, items=[{"item": second.number, "quantity": 1}])
    assert kept(seller) == counted(seller) == {2: 2}
    package_ready(package=placed.package)
    package_ship(package=placed.package, shipping_company=cargo, tracking_number="T")
    assert kept(seller) == counted(seller) == {2: 1, 4: 1}
    package_items_cancel(
        package=new, items=[{"item": new.items.get().number}], reason="no stock"
    )  # all of it: the package is cancelled
    assert kept(seller) == counted(seller) == {1: 1, 4: 1}
    assert kept(placed.other_package.seller) == {2: 1}


def test_pkg101_answers_the_kept_count_for_a_status_filter(placed, cargo):
    package_ship(package=placed.package, shipping_company=cargo, tracking_number="T")
    client = placed.seller

    assert client.get(API).json()["count"] == 1
    assert client.get(API, {"status": 4}).json()["count"] == 1
    assert client.get(API, {"status": 2}).json()["count"] == 0
    assert client.get(API, {"status__in": "2,4", "limit": 5}).json()["count"] == 1
    # other filters count the packages themselves
    assert client.get(API, {"status": 4, "number": placed.package.number}).json()["count"] == 1
    assert client.get(API, {"number": "0000000000000000"}).json()["count"] == 0


def test_pkg101_an_empty_status_list_is_left_out_and_counts_every_package(placed, cargo):
    # `status__in=` is the empty list (as if left out, as every list filter's description says);
    # the kept count read it as one empty status and answered a 500.
    package_ship(package=placed.package, shipping_company=cargo, tracking_number="T")
    client = placed.seller

    response = client.get(API, {"status__in": ""})

    assert response.status_code == 200, response.content
    assert response.json()["count"] == 1
    assert [p["number"] for p in response.json()["results"]] == [placed.package.number]
