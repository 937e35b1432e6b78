"""Omnitron §12.8: a repeated query parameter matches any of its values."""

import pytest

from tests.factories import PriceListFactory, ProductFactory

pytestmark = pytest.mark.django_db


def skus(response):
    assert response.status_code == 200, response.content
    return sorted(item["sku"] for item in response.json()["results"])


def test_a_repeated_filter_matches_any_of_its_values(operator_client):
    for sku in ("A-1", "B-1", "C-1"):
        ProductFactory(sku=sku, seller=None, live=True)

    both = operator_client.get("/omnitron/api/v1/products/?sku__exact=A-1&sku__exact=C-1")
    one = operator_client.get("/omnitron/api/v1/products/?sku__exact=B-1")

    assert skus(both) == ["A-1", "C-1"]
    assert both.json()["count"] == 2
    assert skus(one) == ["B-1"]


def test_repeated_values_combine_with_the_other_filters(operator_client):
    for sku, active in (("A-1", True), ("B-1", False), ("C-1", True)):
        ProductFactory(sku=sku, seller=None, live=True, is_active=active)

    response = operator_client.get(
        "/omnitron/api/v1/products/?sku__exact=A-1&sku__exact=B-1&is_active=true"
    )

    assert skus(response) == ["A-1"]


def test_repeated_lookups_and_in_lists_work_on_other_resources(operator_client):
    lists = [PriceListFactory(code=code) for code in ("usd", "eur", "try")]

    response = operator_client.get("/omnitron/api/v1/price_list/?code=usd&code=try")
    with_in = operator_client.get(
        f"/omnitron/api/v1/price_list/?pk__in={lists[1].pk},{lists[2].pk}"
    )

    assert response.status_code == 200, response.content
    assert sorted(item["code"] for item in response.json()["results"]) == ["try", "usd"]
    assert sorted(item["code"] for item in with_in.json()["results"]) == ["eur", "try"]


def test_a_bad_value_among_repeated_ones_is_a_400_naming_the_parameter(operator_client):
    response = operator_client.get("/omnitron/api/v1/products/?pk=1&pk=x")

    assert response.status_code == 400
    assert "pk" in response.json()
