"""PKG101, PKG102 and ORD201: what a seller reads of its packages, and nothing of another's."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pazar.fulfilment.models import Package
from tests.fulfilment.conftest import API
from tests.windows import wait_for_window_room

ADDRESS_KEYS = {
    "email", "phone_number", "first_name", "last_name", "country", "country_code", "city",
    "township", "district", "line", "postcode", "company_name", "tax_office", "tax_no",
    "e_bill_taxpayer", "identity_number", "notes",
}  # fmt: skip


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [row["number"] for row in response.json()["results"]]


def test_pkg101_lists_only_the_callers_packages_with_the_documented_fields(placed):
    body = placed.seller.get(f"{API}/packages/").json()

    assert body["count"] == 1 and body["next"] is None and body["previous"] is None
    [package] = body["results"]
    assert package["number"] == placed.package.number and len(package["number"]) == 16
    assert package["order_number"] == "MP-100"
    assert package["status"] == 2
    assert package["status_label"] == "Preparing"
    assert set(package["shipping_address"]) == ADDRESS_KEYS
    assert set(package["billing_address"]) == ADDRESS_KEYS
    address = placed.shop.address
    assert package["shipping_address"]["city"] == address.city.name
    assert package["shipping_address"]["country_code"] == address.country.code
    assert package["allowed_actions"] == ["ready", "ship", "invoice", "split", "reject-items"]
    assert package["history"] == [
        {"from_status": None, "to_status": 2, "by": "marketplace", "user": None,
         "reason": "order placed", "created_at": package["history"][0]["created_at"]},
    ]  # fmt: skip
    assert package["item_count"] == 2
    assert package["created_at"].endswith("Z")
    for key in ("waybill_number", "tracking_number", "tracking_url", "shipment_date",
                "delivery_date", "invoice_number", "invoice_date", "invoice_data",
                "invoice_data_type", "updated_at"):  # fmt: skip
        assert key in package


@pytest.mark.parametrize(
    ("param", "value", "found"),
    [
        ("number", "own", True),
        ("number", "0000000000000000", False),
        ("order__number", "MP-100", True),
        ("order__number", "MP-999", False),
        ("waybill_number", "WB-1", True),
        ("waybill_number", "WB-2", False),
        ("status", "4", True),
        ("status", "2", False),
        ("status__in", "1,4", True),
        ("status__in", "2,3", False),
    ],
)
def test_pkg101_filters(placed, cargo, param, value, found):
    placed.seller.post(
        placed.url("ship/"),
        {"shipping_company": "YK", "tracking_number": "T1", "waybill_number": "WB-1"},
        format="json",
    )
    value = placed.package.number if value == "own" else value
    assert numbers(placed.seller.get(f"{API}/packages/", {param: value})) == (
        [placed.package.number] if found else []
    )


@pytest.mark.parametrize("field", ["created_at", "updated_at"])
@pytest.mark.parametrize(
    ("lookup", "shift", "found"),
    [("__gt", -1, True), ("__gt", 1, False), ("__gte", 0, True), ("__lt", 1, True),
     ("__lt", 0, False), ("__lte", 0, True), ("", 0, True), ("", 1, False)],
)  # fmt: skip
def test_pkg101_date_lookups(placed, field, lookup, shift, found):
    moment = getattr(placed.refresh(), field) + timedelta(seconds=shift)
    got = numbers(placed.seller.get(f"{API}/packages/", {f"{field}{lookup}": moment.isoformat()}))
    assert got == ([placed.package.number] if found else [])


@pytest.mark.parametrize(
    ("param", "value"),
    [("status", "7"), ("status", "x"), ("status__in", "2,9"), ("status__in", "2,x"),
     ("created_at__gt", "yesterday"), ("updated_at", "2025-13-01")],
)  # fmt: skip
def test_pkg101_bad_filters_are_400_naming_the_parameter(placed, param, value):
    response = placed.seller.get(f"{API}/packages/", {param: value})
    assert response.status_code == 400
    assert param in response.json()


def test_pkg101_pages_and_limit(placed, operator_client):
    from tests.fulfilment.conftest import place

    for n in range(3):
        place(operator_client, placed.shop, f"MP-P{n}", [placed.shop.item(placed.shop.offer)])
    first = placed.seller.get(f"{API}/packages/", {"limit": 2}).json()
    second = placed.seller.get(f"{API}/packages/", {"limit": 2, "page": 2}).json()

    assert first["count"] == 4 and len(first["results"]) == 2
    assert first["next"].endswith("page=2") and "limit=2" in first["next"]
    assert len(second["results"]) == 2 and second["next"] is None
    assert not {p["number"] for p in first["results"]} & {p["number"] for p in second["results"]}
    assert placed.seller.get(f"{API}/packages/", {"limit": 0}).status_code == 400
    assert placed.seller.get(f"{API}/packages/", {"page": 9}).status_code == 404


@pytest.mark.parametrize(
    ("params", "tables"),
    [
        ({}, set()),
        ({"status": 2}, set()),
        ({"status__in": "2,3"}, set()),
        ({"order__number": "MP-P1"}, {"orders_order"}),
    ],
)
def test_pkg101_chooses_its_page_from_the_package_table_alone(
    placed, operator_client, params, tables
):
    """Joined with the order, addresses and places, SQLite's planner sorts all of a big
    seller's packages; the page's ids come from the package table (and the order's number
    from the orders') and only those packages are read with the rest."""
    from tests.fulfilment.conftest import place

    for n in range(3):
        place(operator_client, placed.shop, f"MP-P{n}", [placed.shop.item(placed.shop.offer)])
    newest_first = list(
        Package.objects.filter(seller=placed.shop.offer.seller)
        .order_by("-created_at", "-pk")
        .values_list("number", flat=True)
    )

    with CaptureQueriesContext(connection) as captured:
        response = placed.seller.get(f"{API}/packages/", {**params, "limit": 2})

    [paging] = [
        sql
        for sql in (q["sql"] for q in captured.captured_queries)
        if 'FROM "fulfilment_package"' in sql and " LIMIT " in sql
    ]
    assert set(re.findall(r'(?:FROM|JOIN) "(\w+)"', paging)) == {"fulfilment_package", *tables}
    if "order__number" in params:
        assert numbers(response) == [Package.objects.get(order__number="MP-P1").number]
    else:
        assert numbers(response) == newest_first[:2]


def test_pkg101_status_label_follows_accept_language(placed):
    from tests.factories import LanguageFactory

    LanguageFactory(code="tr-tr", name="Türkçe")
    body = placed.seller.get(f"{API}/packages/", HTTP_ACCEPT_LANGUAGE="tr-tr").json()
    assert body["results"][0]["status_label"] == "Hazırlanıyor"


def test_pkg102_lists_the_items_numbered_after_the_package(placed):
    response = placed.seller.get(placed.url("items/"))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    first, second = body["results"]
    assert first["id"] == f"{placed.package.number}-1"
    assert second["id"] == f"{placed.package.number}-2"
    assert first["product"] == placed.shop.offer.sku
    assert second["product"] == placed.second_offer.sku
    assert (first["quantity"], second["quantity"]) == (1, 3)
    assert first["price"] == 249.9 and first["status"] == 2
    assert first["order_item_status"] == "400"


@pytest.mark.parametrize(("lookup", "found"), [("created_at__gte", 2), ("created_at__lt", 0)])
def test_pkg102_date_filters(placed, lookup, found):
    moment = placed.package.items.first().created_at
    body = placed.seller.get(placed.url("items/"), {lookup: moment.isoformat()}).json()
    assert body["count"] == found


def test_ord201_answers_the_order_with_only_the_callers_packages(placed):
    response = placed.seller.get(f"{API}/orders/MP-100/")

    assert response.status_code == 200
    body = response.json()
    assert body["number"] == "MP-100"
    assert body["currency"] == "TRY"
    assert body["shipping_amount"] == 0.0
    assert body["installment_interest_amount"] == 0.0
    assert [p["number"] for p in body["packages"]] == [placed.package.number]


def test_another_sellers_package_item_and_order_are_404_on_every_url(placed, cargo):
    stranger = placed.other  # has a package in the same order, but not this one
    for path in ["items/", "ready/", "ship/", "invoice/", "split/", "reject-items/"]:
        method = stranger.get if path == "items/" else stranger.post
        response = method(placed.url(path), {}, format="json")
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"
    from tests.factories import SellerFactory
    from tests.fulfilment.conftest import client_of

    nobody = client_of(SellerFactory())
    assert nobody.get(f"{API}/orders/MP-100/").status_code == 404
    assert nobody.get(f"{API}/packages/", {"order__number": "MP-100"}).json()["count"] == 0
    assert Package.objects.get(pk=placed.package.pk).status == 2  # nothing done


def test_without_a_token_it_is_401(placed, api_client):
    assert api_client.get(f"{API}/packages/").status_code == 401
    assert api_client.post(placed.url("ready/")).status_code == 401


def test_the_packages_family_allows_20_requests_a_minute(placed, settings):
    from pazar.core.config import rate_limits

    settings.PAZAR_RATE_LIMITS = rate_limits(None)
    wait_for_window_room(room=10)
    statuses = [placed.seller.get(f"{API}/packages/").status_code for _ in range(21)]
    assert statuses == [200] * 20 + [429]
    # the actions count in the same family
    assert placed.seller.post(placed.url("ready/")).status_code == 429
    # another seller has its own budget
    assert placed.other.get(f"{API}/packages/").status_code == 200
