"""Omnitron product stocks (omnitron.md §8): v1 by product id, i1 by SKU, one or many per POST."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pazar.inventory.models import ProductStock
from tests.factories import ProductFactory, ProductStockFactory, StockListFactory

pytestmark = pytest.mark.django_db

V1 = "/omnitron/api/v1/product_stock/"
I1 = "/omnitron/api/i1/product_stock/"


def iso(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def quantity(value: Decimal, unit_type: str):
    return int(value) if unit_type == "qty" else f"{value:.3f}"


def stock_body(stock: ProductStock, *, i1: bool = False) -> dict:
    stock.refresh_from_db()
    body = {
        "pk": stock.pk,
        "id": stock.pk,
        "product": stock.product_id,
        "stock_list": stock.stock_list_id,
        "stock": quantity(stock.stock, stock.unit_type),
        "unit_type": stock.unit_type,
        "sold_quantity_unreported": quantity(stock.sold_quantity_unreported, stock.unit_type),
        "extra_field": stock.extra_field,
        "created_date": iso(stock.created_at),
        "modified_date": iso(stock.updated_at),
    }
    if i1:
        body = {"pk": stock.pk, "id": stock.pk, "product_sku": stock.product.sku, **body}
    return body


@pytest.fixture
def stock_list():
    return StockListFactory()


@pytest.fixture
def product():
    return ProductFactory(seller=None, sku="TSHIRT-RED-S")


def test_a_stock_is_created_by_product_id_and_counted_in_units(
    operator_client, stock_list, product
):
    response = operator_client.post(
        V1,
        {"product": product.pk, "stock_list": stock_list.pk, "stock": 90, "extra_field": {"a": 1}},
        format="json",
    )

    assert response.status_code == 201
    stock = ProductStock.objects.get()
    assert (stock.stock, stock.unit_type, stock.sold_quantity_unreported) == (
        Decimal(90),
        "qty",
        Decimal(0),
    )
    assert response.json() == stock_body(stock)
    assert (response.json()["stock"], response.json()["sold_quantity_unreported"]) == (90, 0)


def test_a_stock_sold_by_weight_keeps_its_grams_and_reads_as_a_decimal_string(
    operator_client, stock_list, product
):
    response = operator_client.post(
        V1,
        {"product": product.pk, "stock_list": stock_list.pk, "stock": "1.25", "unit_type": "kg"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["stock"] == "1.250"
    assert response.json()["sold_quantity_unreported"] == "0.000"
    assert ProductStock.objects.get().stock == Decimal("1.25")


@pytest.mark.parametrize(
    ("row", "errors"),
    [
        ({"stock": "1.5"}, {"stock": ["A quantity counted in units (qty) must be a whole number."]}),
        ({"stock": 2.5, "unit_type": "qty"}, {"stock": ["A quantity counted in units (qty) must be a whole number."]}),
        ({"stock": "1.2345", "unit_type": "kg"}, {"stock": ["Ensure that there are no more than 3 decimal places."]}),
        ({"stock": -1}, {"stock": ["Ensure this value is greater than or equal to 0."]}),
        ({"stock": 2147483648}, {"stock": ["Ensure this value is less than or equal to 2147483647."]}),
        ({"stock": "many"}, {"stock": ["A valid number is required."]}),
        ({"stock": None}, {"stock": ["This field may not be null."]}),
        ({"unit_type": "box"}, {"unit_type": ['"box" is not a valid choice.']}),
        ({"sold_quantity_unreported": "0.5"}, {"sold_quantity_unreported": ["A quantity counted in units (qty) must be a whole number."]}),
        ({"extra_field": "x"}, {"extra_field": ["Expected an object."]}),
        ({"product": 999999}, {"product": ['Invalid pk "999999" - object does not exist.']}),
        ({"stock_list": 999999}, {"stock_list": ['Invalid pk "999999" - object does not exist.']}),
    ],
)  # fmt: skip
def test_a_bad_row_refuses_the_whole_list_with_errors_per_row(
    operator_client, stock_list, product, row, errors
):
    good = {"product": product.pk, "stock_list": stock_list.pk, "stock": 1}
    bad = {**good, "product": ProductFactory(seller=None).pk, **row}

    listed = operator_client.post(V1, [good, good | {"stock_list": StockListFactory().pk}, bad])
    single = operator_client.post(V1, bad, format="json")

    assert listed.status_code == 400
    assert listed.json() == {"2": errors}
    assert single.status_code == 400
    assert single.json() == errors
    assert not ProductStock.objects.exists()


def test_a_pair_that_has_a_stock_is_a_row_error_on_v1(operator_client, stock_list, product):
    ProductStockFactory(product=product, stock_list=stock_list)

    response = operator_client.post(
        V1, [{"product": product.pk, "stock_list": stock_list.pk, "stock": 1}], format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "0": {"non_field_errors": ["The fields product, stock_list must make a unique set."]}
    }


def test_i1_updates_an_existing_pair_and_keeps_what_it_does_not_send(
    operator_client, stock_list, product
):
    stock = ProductStockFactory(
        product=product,
        stock_list=stock_list,
        stock=Decimal("2.5"),
        unit_type="kg",
        sold_quantity_unreported=Decimal("0.5"),
        extra_field={"bin": "A4"},
    )

    # A fractional stock is fine: the stored row counts in kg.
    response = operator_client.post(
        I1, {"product_sku": product.sku, "stock_list": stock_list.pk, "stock": "3.75"}
    )

    assert response.status_code == 201
    assert ProductStock.objects.count() == 1
    assert response.json() == stock_body(stock, i1=True)
    assert (stock.stock, stock.unit_type, stock.sold_quantity_unreported) == (
        Decimal("3.75"),
        "kg",
        Decimal("0.5"),
    )
    assert stock.extra_field == {"bin": "A4"}


def test_i1_switching_a_row_to_qty_needs_a_whole_stock(operator_client, stock_list, product):
    ProductStockFactory(product=product, stock_list=stock_list, unit_type="kg")
    row = {"product_sku": product.sku, "stock_list": stock_list.pk, "unit_type": "qty"}

    refused = operator_client.post(I1, {**row, "stock": "3.5"})
    accepted = operator_client.post(I1, {**row, "stock": "3.000", "sold_quantity_unreported": 0})

    assert refused.status_code == 400
    assert refused.json() == {
        "stock": ["A quantity counted in units (qty) must be a whole number."]
    }
    assert accepted.status_code == 201
    assert (accepted.json()["stock"], accepted.json()["unit_type"]) == (3, "qty")


def test_i1_writes_1000_rows_in_a_fixed_number_of_queries(operator_client, stock_list):
    products = ProductFactory.create_batch(60, seller=None)
    rows = [
        {"product_sku": p.sku, "stock_list": stock_list.pk, "stock": i}
        for i, p in enumerate(products)
    ]
    operator_client.post(I1, rows[:1], format="json")

    with CaptureQueriesContext(connection) as few:
        operator_client.post(I1, rows[:5], format="json")
    with CaptureQueriesContext(connection) as many:
        response = operator_client.post(I1, rows, format="json")

    assert response.status_code == 201
    assert len(many) == len(few)
    assert [row["stock"] for row in response.json()] == list(range(60))


def test_i1_refuses_unknown_skus_per_row(operator_client, stock_list, product):
    response = operator_client.post(
        I1,
        [
            {"product_sku": product.sku, "stock_list": stock_list.pk, "stock": 1},
            {"product_sku": "NOPE", "stock_list": stock_list.pk, "stock": 1},
        ],
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"1": {"product_sku": ['No product with the SKU "NOPE".']}}
    assert not ProductStock.objects.exists()


# --- reading --------------------------------------------------------------------------------


def test_stocks_are_listed_on_both_paths(operator_client, stock_list):
    first = ProductStockFactory(stock_list=stock_list)
    second = ProductStockFactory(unit_type="kg", stock=Decimal("0.125"))

    v1 = operator_client.get(V1)
    i1 = operator_client.get(I1)

    assert v1.status_code == 200
    assert v1.json()["results"] == [stock_body(first), stock_body(second)]
    assert i1.json()["results"] == [stock_body(first, i1=True), stock_body(second, i1=True)]


def test_stocks_filter_like_omnitron(operator_client, stock_list):
    other = StockListFactory()
    a = ProductStockFactory(stock_list=stock_list, product=ProductFactory(sku="A-1"))
    b = ProductStockFactory(stock_list=other, product=a.product, stock=Decimal(5))
    c = ProductStockFactory(stock_list=other, product=ProductFactory(sku="C-1"), unit_type="kg")
    ProductStock.objects.filter(pk=a.pk).update(updated_at="2024-01-01T00:00:00Z")

    def pks(**params):
        response = operator_client.get(V1, params)
        assert response.status_code == 200
        return [item["pk"] for item in response.json()["results"]]

    assert pks(product=a.product_id) == [a.pk, b.pk]
    assert pks(product__pk__in=f"{a.product_id},{c.product_id}") == [a.pk, b.pk, c.pk]
    assert pks(product__sku="C-1") == [c.pk]
    assert pks(product_sku="A-1", stock_list=other.pk) == [b.pk]
    assert pks(stock_list__in=f"{stock_list.pk},{other.pk}", unit_type="kg") == [c.pk]
    assert pks(stock__lt=10) == [b.pk]
    assert pks(modified_date__gt="2024-06-01T00:00:00Z") == [b.pk, c.pk]
    assert pks(sort="-id") == [c.pk, b.pk, a.pk]


# --- one stock ------------------------------------------------------------------------------


def test_a_stock_is_read_changed_and_deleted_by_id(operator_client, stock_list):
    stock = ProductStockFactory(stock_list=stock_list, sold_quantity_unreported=Decimal(3))
    url = f"{V1}{stock.pk}/"

    read = operator_client.get(url)
    patched = operator_client.patch(url, {"stock": 7, "stock_list": 999}, format="json")
    put = operator_client.put(url, {"stock": "1.5", "unit_type": "kg"}, format="json")
    deleted = operator_client.delete(url)

    assert read.status_code == 200
    assert read.json()["stock"] == 90
    assert patched.status_code == 200
    assert (patched.json()["stock"], patched.json()["stock_list"]) == (7, stock_list.pk)
    assert patched.json()["sold_quantity_unreported"] == 3
    assert put.status_code == 200
    assert (put.json()["stock"], put.json()["unit_type"]) == ("1.500", "kg")
    assert deleted.status_code == 204
    assert not ProductStock.objects.exists()


def test_a_weighed_stock_cannot_become_a_counted_one_with_grams_left(operator_client):
    stock = ProductStockFactory(unit_type="kg", stock=Decimal("1.5"))

    response = operator_client.patch(f"{V1}{stock.pk}/", {"unit_type": "qty"}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "stock": ["A quantity counted in units (qty) must be a whole number."]
    }
