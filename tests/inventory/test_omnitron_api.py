"""Omnitron stock lists (omnitron.md §8) and the sellers who may use them."""

import pytest

from pazar.inventory.models import ProductStock, StockList
from tests.factories import ProductStockFactory, SellerFactory, StockListFactory

pytestmark = pytest.mark.django_db

STOCK_LISTS = "/omnitron/api/v1/stock_list/"


def iso(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def stock_list_body(stock_list: StockList) -> dict:
    stock_list.refresh_from_db()
    return {
        "pk": stock_list.pk,
        "id": stock_list.pk,
        "uuid": str(stock_list.uuid),
        "name": stock_list.name,
        "code": stock_list.code,
        "is_auto_sync": stock_list.is_auto_sync,
        "sellers": [str(seller.id) for seller in stock_list.sellers.all()],
        "created_date": iso(stock_list.created_at),
        "modified_date": iso(stock_list.updated_at),
    }


def codes(response) -> list[str]:
    return [item["code"] for item in response.json()["results"]]


@pytest.mark.parametrize("url", [STOCK_LISTS, "/omnitron/api/i1/stock_list/"])
def test_a_stock_list_is_created_with_the_sellers_who_may_use_it(operator_client, url):
    seller = SellerFactory()

    response = operator_client.post(
        url,
        {
            "name": "Main warehouse",
            "code": "wh-main",
            "is_auto_sync": True,
            "sellers": [str(seller.id)],
        },
        format="json",
    )

    assert response.status_code == 201
    stock_list = StockList.objects.get()
    assert list(stock_list.sellers.all()) == [seller]
    assert response.json() == stock_list_body(stock_list)


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"name": ["This field is required."]}),
        (
            {"name": "L", "is_auto_sync": True},
            {"code": ["A list kept in sync with the ERP (is_auto_sync) needs a code."]},
        ),
        (
            {"name": "W", "code": "taken"},
            {"code": ['A stock list with the code "taken" already exists.']},
        ),
        (
            {"name": "W", "code": "w", "is_auto_sync": "often"},
            {"is_auto_sync": ["Must be a valid boolean."]},
        ),
        (
            {"name": "W", "code": "w", "sellers": "abc"},
            {"sellers": ['Expected a list of items but got type "str".']},
        ),
        (
            {"name": "W", "code": "w", "sellers": {}},
            {"sellers": ['Expected a list of items but got type "dict".']},
        ),
    ],
)
def test_an_invalid_stock_list_is_a_400(operator_client, body, errors):
    StockListFactory(code="taken")

    response = operator_client.post(STOCK_LISTS, body, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert StockList.objects.count() == 1


def test_stock_lists_are_listed_by_pk_on_both_paths(operator_client):
    first, second = StockListFactory(sellers=[SellerFactory()]), StockListFactory()

    v1 = operator_client.get(STOCK_LISTS)
    i1 = operator_client.get("/omnitron/api/i1/stock_list/")

    assert v1.status_code == 200
    assert v1.json() == {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [stock_list_body(first), stock_list_body(second)],
    }
    assert i1.json() == v1.json()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"name": "Istanbul store"}, ["ist"]),
        ({"name__icontains": "STORE"}, ["ist", "ank"]),
        ({"code": "wh"}, ["wh"]),
        ({"code__exact": "wh"}, ["wh"]),
        ({"code__in": "ist,ank"}, ["ist", "ank"]),
        ({"is_auto_sync": "true"}, ["wh"]),
        ({"pk__gt": "0", "is_auto_sync": "false"}, ["ist", "ank"]),
    ],
)
def test_stock_lists_filter_like_omnitron(operator_client, params, expected):
    StockListFactory(name="Istanbul store", code="ist")
    StockListFactory(name="Ankara store", code="ank")
    StockListFactory(name="Warehouse", code="wh", is_auto_sync=True)

    response = operator_client.get(STOCK_LISTS, params)

    assert response.status_code == 200
    assert codes(response) == expected


def test_stock_lists_filter_by_seller_and_modified_date(operator_client):
    seller = SellerFactory()
    old = StockListFactory(code="old")
    StockListFactory(code="new", sellers=[seller])
    StockList.objects.filter(pk=old.pk).update(updated_at="2024-01-01T00:00:00Z")

    assert codes(operator_client.get(STOCK_LISTS, {"sellers": str(seller.id)})) == ["new"]
    assert codes(
        operator_client.get(STOCK_LISTS, {"modified_date__lte": "2024-01-01T00:00:00Z"})
    ) == ["old"]


def test_patch_assigns_sellers_and_put_replaces_the_list(operator_client):
    acme, other = SellerFactory(), SellerFactory()
    stock_list = StockListFactory(code="wh", sellers=[acme])
    url = f"{STOCK_LISTS}{stock_list.pk}/"

    patch = operator_client.patch(url, {"sellers": [str(other.id)]}, format="json")
    put = operator_client.put(url, {"name": "Store", "code": "store"}, format="json")
    taken = operator_client.patch(url, {"code": StockListFactory(code="taken").code}, format="json")

    assert patch.status_code == 200
    assert patch.json()["sellers"] == [str(other.id)]
    assert put.status_code == 200
    assert put.json() == stock_list_body(stock_list)
    assert (stock_list.name, stock_list.code) == ("Store", "store")
    assert taken.status_code == 400
    assert taken.json() == {"code": ['A stock list with the code "taken" already exists.']}


def test_deleting_a_stock_list_deletes_its_stocks(operator_client):
    stock = ProductStockFactory()

    response = operator_client.delete(f"{STOCK_LISTS}{stock.stock_list.pk}/")

    assert response.status_code == 204
    assert not StockList.objects.exists()
    assert not ProductStock.objects.exists()
