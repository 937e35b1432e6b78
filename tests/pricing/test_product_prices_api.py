"""Omnitron product prices (omnitron.md §7): v1 by product id, i1 by SKU, one or many per POST."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pazar.pricing.models import ProductPrice
from tests.factories import PriceListFactory, ProductFactory, ProductPriceFactory

pytestmark = pytest.mark.django_db

V1 = "/omnitron/api/v1/product_price/"
I1 = "/omnitron/api/i1/product_price/"


def iso(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def price_body(price: ProductPrice, *, i1: bool = False) -> dict:
    price.refresh_from_db()
    body = {
        "pk": price.pk,
        "id": price.pk,
        "product": price.product_id,
        "price_list": price.price_list_id,
        "price": f"{price.price:.2f}",
        "retail_price": None if price.retail_price is None else f"{price.retail_price:.2f}",
        "tax_rate": f"{price.tax_rate * 100:.2f}",
        "currency_type": price.currency_type.lower(),
        "price_type": price.price_type,
        "discount_percentage": (
            None if price.discount_percentage is None else f"{price.discount_percentage:.2f}"
        ),
        "extra_field": price.extra_field,
        "created_date": iso(price.created_at),
        "modified_date": iso(price.updated_at),
    }
    if i1:
        body = {"pk": price.pk, "id": price.pk, "product_sku": price.product.sku, **body}
    return body


@pytest.fixture
def try_list():
    return PriceListFactory(currency="TRY")


@pytest.fixture
def product():
    return ProductFactory(seller=None, sku="TSHIRT-RED-S")


def test_a_price_is_created_by_product_id_and_read_in_omnitrons_format(
    operator_client, try_list, product
):
    response = operator_client.post(
        V1,
        {
            "product": product.pk,
            "price_list": try_list.pk,
            "price": "89.99",
            "retail_price": 99.99,
            "tax_rate": "18.00",
            "currency_type": "TR",
            "price_type": "range_",
            "discount_percentage": 10,
            "extra_field": {"erp": "A1"},
        },
        format="json",
    )

    assert response.status_code == 201
    price = ProductPrice.objects.get()
    assert (price.price, price.retail_price, price.tax_rate) == (
        Decimal("89.99"),
        Decimal("99.99"),
        Decimal("0.18"),
    )
    assert price.currency_type == "TRY"
    assert response.json() == price_body(price)
    assert response.json()["tax_rate"] == "18.00"
    assert response.json()["currency_type"] == "try"
    assert response.json()["discount_percentage"] == "10.00"


def test_left_out_fields_take_the_defaults_and_the_lists_currency(
    operator_client, try_list, product
):
    response = operator_client.post(
        V1, {"product": product.pk, "price_list": try_list.pk, "price": 5}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["price"], body["retail_price"], body["tax_rate"]) == ("5.00", None, "0.00")
    assert (body["currency_type"], body["price_type"], body["extra_field"]) == (
        "try",
        "default",
        {},
    )
    assert body["discount_percentage"] is None


def test_a_list_of_prices_is_created_in_request_order(operator_client, try_list):
    products = ProductFactory.create_batch(3, seller=None)
    rows = [
        {"product": p.pk, "price_list": try_list.pk, "price": f"{i}.50"}
        for i, p in enumerate(products)
    ]

    response = operator_client.post(V1, rows[::-1], format="json")

    assert response.status_code == 201
    assert [item["product"] for item in response.json()] == [p.pk for p in products[::-1]]
    assert response.json() == [
        price_body(ProductPrice.objects.get(product=p)) for p in products[::-1]
    ]


@pytest.mark.parametrize(
    ("row", "errors"),
    [
        ({}, {"product": ["This field is required."], "price_list": ["This field is required."],
              "price": ["This field is required."]}),
        ({"price": "1.999"}, {"price": ["Ensure that there are no more than 2 decimal places."]}),
        ({"price": "-1"}, {"price": ["Ensure this value is greater than or equal to 0."]}),
        ({"price": "abc"}, {"price": ["A valid number is required."]}),
        ({"tax_rate": "101"}, {"tax_rate": ["Ensure this value is less than or equal to 100."]}),
        ({"tax_rate": "8.125"}, {"tax_rate": ["Ensure that there are no more than 2 decimal places."]}),
        ({"currency_type": "xyz"}, {"currency_type": ['"xyz" is not a valid currency.']}),
        ({"currency_type": "usd"}, {"currency_type": ["Must be the currency of the price list (try)."]}),
        ({"price_type": "cheap"}, {"price_type": ['"cheap" is not a valid choice.']}),
        ({"extra_field": [1]}, {"extra_field": ["Expected an object."]}),
        ({"product": 999999}, {"product": ['Invalid pk "999999" - object does not exist.']}),
        ({"price_list": 999999}, {"price_list": ['Invalid pk "999999" - object does not exist.']}),
    ],
)  # fmt: skip
def test_a_bad_row_refuses_the_whole_list_with_errors_per_row(
    operator_client, try_list, product, row, errors
):
    good = {"product": product.pk, "price_list": try_list.pk, "price": "10"}
    bad = {**good, "product": ProductFactory(seller=None).pk, **row}
    if not row:
        bad = {}

    listed = operator_client.post(V1, [good, bad], format="json")
    single = operator_client.post(V1, bad, format="json")

    assert listed.status_code == 400
    assert listed.json() == {"1": errors}
    assert single.status_code == 400
    assert single.json() == errors
    assert not ProductPrice.objects.exists()


def test_a_pair_that_has_a_price_is_a_row_error_on_v1(operator_client, try_list, product):
    ProductPriceFactory(product=product, price_list=try_list)
    row = {"product": product.pk, "price_list": try_list.pk, "price": "10"}

    response = operator_client.post(V1, row, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["The fields product, price_list must make a unique set."]
    }


@pytest.mark.parametrize("url", [V1, I1])
def test_the_same_pair_twice_in_one_request_is_a_row_error(operator_client, try_list, product, url):
    key = {"product": product.pk} if url == V1 else {"product_sku": product.sku}
    row = {**key, "price_list": try_list.pk, "price": "10"}

    response = operator_client.post(url, [row, {**row, "price": "11"}], format="json")

    assert response.status_code == 400
    assert response.json() == {
        "1": {"non_field_errors": ["This product has another row for the same price list in this request."]},
    }  # fmt: skip
    assert not ProductPrice.objects.exists()


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ([], {"non_field_errors": ["This list may not be empty."]}),
        ("text", {"non_field_errors": ['Expected a list of items but got type "str".']}),
        ([1], {"0": ["Expected an object."]}),
    ],
)
def test_a_body_that_is_neither_an_object_nor_a_list_of_objects_is_a_400(
    operator_client, body, errors
):
    response = operator_client.post(I1, body, format="json")

    assert response.status_code == 400
    assert response.json() == errors


def test_more_than_1000_rows_are_refused(operator_client, try_list):
    rows = [{"product_sku": f"S{i}", "price_list": try_list.pk, "price": "1"} for i in range(1001)]

    response = operator_client.post(I1, rows, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Ensure this list has no more than 1000 items; it has 1001."]
    }


# --- i1: by SKU, creating or updating -------------------------------------------------------


def test_i1_creates_by_sku_and_updates_an_existing_pair_keeping_what_it_does_not_send(
    operator_client, try_list, product
):
    created = operator_client.post(
        I1,
        {
            "product_sku": product.sku,
            "price_list": try_list.pk,
            "price": "89.99",
            "retail_price": "99.99",
            "tax_rate": "8",
            "extra_field": {"erp": "A1"},
        },
        format="json",
    )
    price = ProductPrice.objects.get()
    first_modified = price.updated_at
    assert created.json() == price_body(price, i1=True)

    updated = operator_client.post(
        I1, {"product_sku": product.sku, "price_list": try_list.pk, "price": "79.99"}, format="json"
    )

    assert created.status_code == 201
    assert updated.status_code == 201
    assert ProductPrice.objects.count() == 1
    assert updated.json() == price_body(price, i1=True)
    body = updated.json()
    assert (body["price"], body["retail_price"], body["tax_rate"]) == ("79.99", "99.99", "8.00")
    assert body["extra_field"] == {"erp": "A1"}
    assert body["created_date"] == created.json()["created_date"]
    assert price.updated_at > first_modified


def test_i1_writes_a_list_that_mixes_new_and_existing_pairs_and_field_sets(
    operator_client, try_list
):
    old, new = ProductFactory(seller=None), ProductFactory(seller=None)
    ProductPriceFactory(
        product=old, price_list=try_list, retail_price=Decimal("50"), extra_field={"keep": 1}
    )

    response = operator_client.post(
        I1,
        [
            {"product_sku": old.sku, "price_list": try_list.pk, "price": "40"},
            {
                "product_sku": new.sku,
                "price_list": try_list.pk,
                "price": "30",
                "retail_price": None,
            },
        ],
        format="json",
    )

    assert response.status_code == 201
    assert [row["product"] for row in response.json()] == [old.pk, new.pk]
    kept = ProductPrice.objects.get(product=old)
    assert (kept.price, kept.retail_price, kept.extra_field) == (
        Decimal(40),
        Decimal(50),
        {"keep": 1},
    )
    assert ProductPrice.objects.get(product=new).retail_price is None


def test_i1_prefers_the_operators_product_and_refuses_unknown_and_ambiguous_skus(
    operator_client, try_list
):
    ours = ProductFactory(seller=None, sku="SHARED")
    ProductFactory(sku="SHARED")
    ProductFactory(sku="TWICE")
    ProductFactory(sku="TWICE")
    row = {"price_list": try_list.pk, "price": "1"}

    ok = operator_client.post(I1, {**row, "product_sku": "SHARED"}, format="json")
    refused = operator_client.post(
        I1,
        [{**row, "product_sku": "SHARED"}, {**row, "product_sku": "NOPE"}, {**row, "product_sku": "TWICE"}],
        format="json",
    )  # fmt: skip

    assert ok.status_code == 201
    assert ok.json()["product"] == ours.pk
    assert refused.status_code == 400
    assert refused.json() == {
        "1": {"product_sku": ['No product with the SKU "NOPE".']},
        "2": {
            "product_sku": [
                'Several sellers\' products have the SKU "TWICE"; write to '
                "/api/v1/product_price/ with the product's id (`product`) instead."
            ]
        },
    }
    assert ProductPrice.objects.count() == 1


def test_a_sellers_product_is_priced_by_sku_when_it_is_the_only_one(operator_client, try_list):
    product = ProductFactory(sku="ONLY-ONE")

    response = operator_client.post(
        I1, {"product_sku": "ONLY-ONE", "price_list": try_list.pk, "price": "1"}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["product"] == product.pk


def test_a_1000_row_i1_post_takes_a_fixed_number_of_queries(operator_client, try_list):
    products = ProductFactory.create_batch(50, seller=None)
    rows = [{"product_sku": p.sku, "price_list": try_list.pk, "price": "1"} for p in products]
    operator_client.post(I1, rows[:1], format="json")

    with CaptureQueriesContext(connection) as few:
        operator_client.post(I1, rows[:5], format="json")
    with CaptureQueriesContext(connection) as many:
        response = operator_client.post(I1, rows, format="json")

    assert response.status_code == 201
    assert len(many) == len(few)
    assert ProductPrice.objects.count() == 50


# --- reading --------------------------------------------------------------------------------


def test_prices_are_listed_on_both_paths(operator_client, try_list):
    first = ProductPriceFactory(price_list=try_list, tax_rate=Decimal("0.08"))
    second = ProductPriceFactory(retail_price=None)

    v1 = operator_client.get(V1)
    i1 = operator_client.get(I1)

    assert v1.status_code == 200
    assert v1.json()["results"] == [price_body(first), price_body(second)]
    assert i1.json()["results"] == [price_body(first, i1=True), price_body(second, i1=True)]
    assert v1.json()["results"][0]["tax_rate"] == "8.00"


def test_prices_filter_like_omnitron(operator_client, try_list):
    usd = PriceListFactory(currency="USD")
    a = ProductPriceFactory(price_list=try_list, product=ProductFactory(sku="A-1"))
    b = ProductPriceFactory(price_list=usd, product=a.product)
    c = ProductPriceFactory(price_list=usd, product=ProductFactory(sku="C-1"), price_type="range_")
    ProductPrice.objects.filter(pk=a.pk).update(updated_at="2024-01-01T00:00:00Z")

    def pks(**params):
        response = operator_client.get(V1, params)
        assert response.status_code == 200
        return [item["pk"] for item in response.json()["results"]]

    assert pks(product=a.product_id) == [a.pk, b.pk]
    assert pks(product__pk__in=f"{a.product_id},{c.product_id}") == [a.pk, b.pk, c.pk]
    assert pks(product__sku="C-1") == [c.pk]
    assert pks(product_sku="A-1", price_list=usd.pk) == [b.pk]
    assert pks(product__sku__in="A-1,C-1", price_list__in=str(try_list.pk)) == [a.pk]
    assert pks(price_list=999999) == []
    assert pks(currency_type="TR") == [a.pk]
    assert pks(currency_type="usd") == [b.pk, c.pk]
    assert pks(price_type="range_") == [c.pk]
    assert pks(modified_date__gt="2024-06-01T00:00:00Z") == [b.pk, c.pk]
    assert pks(modified_date__lt="2024-06-01T00:00:00Z") == [a.pk]
    assert pks(pk__in=f"{a.pk},{c.pk}") == [a.pk, c.pk]
    assert pks(sort="-id") == [c.pk, b.pk, a.pk]


# --- one price ------------------------------------------------------------------------------


def test_a_price_is_read_changed_replaced_and_deleted_by_id(operator_client, try_list):
    price = ProductPriceFactory(price_list=try_list, extra_field={"a": 1})
    url = f"{V1}{price.pk}/"
    other_list = PriceListFactory(currency="TRY")

    read = operator_client.get(url)
    patched = operator_client.patch(
        url, {"price": "12.5", "tax_rate": 20, "price_list": other_list.pk}, format="json"
    )
    put = operator_client.put(url, {"price": "11", "currency_type": "tr"}, format="json")
    deleted = operator_client.delete(url)

    assert read.status_code == 200
    assert read.json()["id"] == price.pk
    assert patched.status_code == 200
    assert (patched.json()["price"], patched.json()["tax_rate"]) == ("12.50", "20.00")
    assert patched.json()["price_list"] == try_list.pk  # a price stays in its list
    assert put.status_code == 200
    assert put.json()["price"] == "11.00"
    assert put.json()["extra_field"] == {"a": 1}
    assert deleted.status_code == 204
    assert not ProductPrice.objects.exists()


def test_changing_a_prices_currency_away_from_its_lists_is_a_400(operator_client, try_list):
    price = ProductPriceFactory(price_list=try_list)

    response = operator_client.patch(f"{V1}{price.pk}/", {"currency_type": "eur"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"currency_type": ["Must be the currency of the price list (try)."]}


def test_an_unknown_price_is_a_404(operator_client):
    response = operator_client.get(f"{V1}999999/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


# --- one catalog, two wire formats ----------------------------------------------------------


def test_a_price_written_by_omnitron_reads_in_the_seller_centers_format(
    operator_client, seller_client
):
    usd = PriceListFactory(currency="USD", sellers=[seller_client.seller])
    product = ProductFactory(seller=seller_client.seller, live=True, sku="SC-1")

    written = operator_client.post(
        I1,
        {"product_sku": "SC-1", "price_list": usd.pk, "price": "89.99", "tax_rate": "8.00"},
        format="json",
    )
    seller_view = seller_client.get("/seller-center/api/i2/products/")

    assert written.status_code == 201
    assert written.json()["product"] == product.pk
    [item] = seller_view.json()["results"]
    assert item["prices"] == [
        {
            "price_list": str(usd.uuid),
            "currency_type": "USD",
            "retail_price": None,
            "price": "89.99",
            "tax_rate": "0.08",
        }
    ]


def test_seller_center_prices_read_in_omnitrons_format(operator_client):
    price = ProductPriceFactory(
        price_list=PriceListFactory(currency="EUR"), tax_rate=Decimal("0.0825")
    )

    response = operator_client.get(f"{V1}{price.pk}/")

    assert (response.json()["tax_rate"], response.json()["currency_type"]) == ("8.25", "eur")
