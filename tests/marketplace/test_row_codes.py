"""Row errors carry stable codes; prices and stocks follow the same rules on both APIs; a field a
row leaves out keeps its stored value."""

import json
from decimal import Decimal

import pytest

from pazar.catalog.models import Product
from pazar.inventory.models import ProductStock
from pazar.pricing.models import ProductPrice
from tests.marketplace.helpers import product_row, send

pytestmark = pytest.mark.django_db

PRODUCTS = "/seller-center/api/i2/products/"
PRICES = f"{PRODUCTS}prices/"
STOCKS = f"{PRODUCTS}stocks/"
PRICE_STOCK = f"{PRODUCTS}prices-and-stocks/"


def error_file(client, batch) -> dict:
    body = client.get(f"{PRODUCTS}batch-requests/{batch.pk}").json()
    path = body["error_file"].replace("http://testserver", "")
    return {
        item["index"]: item for item in json.loads(b"".join(client.get(path).streaming_content))
    }


def codes_of(client, batch) -> dict:
    return {index: item["codes"] for index, item in error_file(client, batch).items()}


@pytest.fixture
def listed(seller_client, market):
    """One product of the seller with a USD price (tax 8 %, retail 120) and a kg stock."""
    row = product_row(
        market,
        sku="SKU1",
        prices=[
            {
                "price_list": str(market.usd.uuid),
                "currency_type": "USD",
                "price": "100",
                "retail_price": "120",
                "tax_rate": "0.08",
            }
        ],
        stocks=[{"stock_list": str(market.stock.uuid), "stock": "2.5", "unit_type": "kg"}],
    )
    assert send(seller_client, "post", PRODUCTS, [row]).failed == 0
    return Product.objects.get(sku="SKU1")


def price_item(market, **fields) -> dict:
    return {"sku": "SKU1", "price_list": str(market.usd.uuid), "currency_type": "USD", **fields}


def stock_item(market, **fields) -> dict:
    return {"sku": "SKU1", "stock_list": str(market.stock.uuid), **fields}


# --- codes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "codes"),
    [
        ({"price": "100", "retail_price": "99.99"}, {"price": ["price_above_retail"]}),
        ({"price": "1", "currency_type": "EUR"}, {"currency_type": ["currency_mismatch"]}),
        ({"price": "1", "currency_type": "XXX"}, {"currency_type": ["invalid_choice"]}),
        ({"price": "1.999"}, {"price": ["max_decimal_places"]}),
        ({"price": "-1"}, {"price": ["min_value"]}),
        ({"price": "9" * 40}, {"price": ["max_digits"]}),
        ({"price": "abc"}, {"price": ["invalid"]}),
        ({}, {"price": ["required"]}),
        ({"price": "1", "tax_rate": "18"}, {"tax_rate": ["max_value"]}),
        ({"price": "1", "tax_rate": None}, {"tax_rate": ["null"]}),
        ({"price": "1", "tax_rate": ""}, {"tax_rate": ["invalid"]}),
        ({"price": "1", "retail_price": ""}, {"retail_price": ["invalid"]}),
        ({"price": "1", "sku": "NOPE"}, {"sku": ["unknown_sku"]}),
    ],
)
def test_price_row_errors_carry_codes(seller_client, market, listed, fields, codes):
    batch = send(seller_client, "post", PRICES, [price_item(market, **fields)])

    assert codes_of(seller_client, batch) == {0: codes}
    assert ProductPrice.objects.get().price == Decimal("100.00")


def test_a_price_list_not_open_to_the_seller_has_its_own_code(seller_client, market, listed):
    item = price_item(market, price="1", price_list=str(market.closed_prices.uuid))

    batch = send(seller_client, "post", PRICES, [item])

    assert codes_of(seller_client, batch) == {0: {"price_list": ["price_list_not_open"]}}


@pytest.mark.parametrize(
    ("fields", "codes"),
    [
        ({"stock": "-1"}, {"stock": ["min_value"]}),
        ({"stock": "2147483648"}, {"stock": ["max_value"]}),
        ({"stock": "1.5", "unit_type": "qty"}, {"stock": ["fractional_quantity"]}),
        ({"stock": "1.2345"}, {"stock": ["max_decimal_places"]}),
        ({"stock": "3", "unit_type": "box"}, {"unit_type": ["invalid_choice"]}),
        ({"stock": "3", "unit_type": ""}, {"unit_type": ["invalid_choice"]}),
        ({"stock": "3", "unit_type": []}, {"unit_type": ["invalid_choice"]}),
        ({"stock": "3", "unit_type": {}}, {"unit_type": ["invalid_choice"]}),
        ({"stock": "3", "unit_type": None}, {"unit_type": ["null"]}),
        ({"stock": None}, {"stock": ["null"]}),
        ({}, {"stock": ["required"]}),
    ],
)
def test_stock_row_errors_carry_codes(seller_client, market, listed, fields, codes):
    batch = send(seller_client, "post", STOCKS, [stock_item(market, **fields)])

    assert codes_of(seller_client, batch) == {0: codes}
    stored = ProductStock.objects.get()
    assert (stored.stock, stored.unit_type) == (Decimal("2.500"), "kg")


def test_a_stock_list_not_open_to_the_seller_has_its_own_code(seller_client, market, listed):
    item = stock_item(market, stock="1", stock_list=str(market.closed_stock.uuid))

    batch = send(seller_client, "post", STOCKS, [item])

    assert codes_of(seller_client, batch) == {0: {"stock_list": ["stock_list_not_open"]}}


@pytest.mark.parametrize(
    ("overrides", "codes"),
    [
        (
            {"category": "00000000-0000-0000-0000-000000000000"},
            {"category": ["unknown_category"]},
        ),
        ({"attributes": {"COLOR": "Red"}}, {"attributes": {"SIZE": ["attribute_required"]}}),
        (
            {"attributes": {"COLOR": "Purple", "SIZE": "S"}},
            {"attributes": {"COLOR": ["invalid_attribute_value"]}},
        ),
        (
            {"attributes": {"COLOR": "Red", "SIZE": "S", "WEIGHT": 3}},
            {"attributes": {"WEIGHT": ["unknown_attribute"]}},
        ),
        ({"name": None}, {"name": ["null"]}),
        ({"name": " "}, {"name": ["blank"]}),
        ({"images": "x"}, {"images": ["not_a_list"]}),
        ({"images": ["not a url"]}, {"images": {"0": ["invalid"]}}),
    ],
)
def test_product_row_errors_carry_codes(seller_client, market, overrides, codes):
    batch = send(seller_client, "post", PRODUCTS, [product_row(market, **overrides)])

    assert codes_of(seller_client, batch) == {0: codes}
    assert not Product.objects.exists()


def test_nested_price_and_stock_errors_carry_codes_at_their_position(seller_client, market):
    row = product_row(
        market,
        prices=[
            {"price_list": str(market.usd.uuid), "currency_type": "USD", "price": "1"},
            {"price_list": str(market.usd.uuid), "currency_type": "USD", "price": "2"},
            {
                "price_list": str(market.eur.uuid),
                "currency_type": "EUR",
                "price": "5",
                "retail_price": "4",
            },
        ],
        stocks=[{"stock_list": str(market.stock.uuid), "stock": "1.5"}],
    )

    batch = send(seller_client, "post", PRODUCTS, [row])

    assert codes_of(seller_client, batch) == {
        0: {
            "prices": {"1": {"price_list": ["list_twice"]}, "2": {"price": ["price_above_retail"]}},
            "stocks": {"0": {"stock": ["fractional_quantity"]}},
        }
    }
    assert not Product.objects.exists()


def test_the_error_file_keeps_the_drf_messages_beside_the_codes(seller_client, market, listed):
    batch = send(seller_client, "post", PRICES, [price_item(market, price="5", retail_price="4")])

    entry = error_file(seller_client, batch)[0]

    assert entry["errors"] == {
        "price": ["Ensure this value is less than or equal to the retail price (4.00)."]
    }
    assert entry["codes"] == {"price": ["price_above_retail"]}


# --- a field left out keeps its value (PRD104/105/106) ---------------------------------------


def test_a_price_without_tax_rate_or_retail_price_keeps_the_stored_ones(
    seller_client, market, listed
):
    batch = send(seller_client, "post", PRICES, [price_item(market, price="90")])

    assert batch.failed == 0
    price = ProductPrice.objects.get()
    assert (price.price, price.retail_price, price.tax_rate) == (
        Decimal("90.00"),
        Decimal("120.00"),
        Decimal("0.0800"),
    )


def test_a_null_retail_price_removes_it(seller_client, market, listed):
    batch = send(seller_client, "post", PRICES, [price_item(market, price="90", retail_price=None)])

    assert batch.failed == 0
    assert ProductPrice.objects.get().retail_price is None


def test_a_new_price_without_tax_rate_has_none(seller_client, market):
    send(seller_client, "post", PRODUCTS, [product_row(market, sku="SKU1", prices=[])])

    send(seller_client, "post", PRICES, [price_item(market, price="90")])

    price = ProductPrice.objects.get()
    assert (price.tax_rate, price.retail_price) == (Decimal("0"), None)


def test_a_stock_without_unit_type_keeps_the_stored_one_and_its_rules(
    seller_client, market, listed
):
    kept = send(seller_client, "post", STOCKS, [stock_item(market, stock="3.25")])
    whole = send(
        seller_client,
        "post",
        PRICE_STOCK,
        [{**price_item(market, price="1"), **stock_item(market, stock="4", unit_type="qty")}],
    )

    assert kept.failed == 0 and whole.failed == 0
    stored = ProductStock.objects.get()
    assert (stored.stock, stored.unit_type) == (Decimal("4.000"), "qty")


# --- one rule set for the Seller Center and Omnitron ----------------------------------------


@pytest.mark.parametrize(
    ("seller_center", "omnitron", "field"),
    [
        (
            {"price": "100", "retail_price": "99.99"},
            {"price": "100", "retail_price": "99.99"},
            "price",
        ),
        ({"price": "1.999"}, {"price": "1.999"}, "price"),
        ({"price": "-1"}, {"price": "-1"}, "price"),
        (
            {"price": "1", "currency_type": "EUR"},
            {"price": "1", "currency_type": "eur"},
            "currency_type",
        ),
    ],
)
def test_a_bad_price_row_gets_the_same_answer_on_both_apis(
    seller_client, operator_client, market, listed, seller_center, omnitron, field
):
    batch = send(seller_client, "post", PRICES, [price_item(market, **seller_center)])
    omnitron_answer = operator_client.post(
        "/omnitron/api/i1/product_price/",
        [{"product_sku": "SKU1", "price_list": market.usd.pk, **omnitron}],
        format="json",
    )

    seller_errors = error_file(seller_client, batch)[0]["errors"]
    assert omnitron_answer.status_code == 400
    omnitron_errors = omnitron_answer.json()["0"]
    assert list(seller_errors) == list(omnitron_errors) == [field]
    # the currency is written as each API writes it (USD / usd); the rest is the same text
    assert [m.lower() for m in seller_errors[field]] == [m.lower() for m in omnitron_errors[field]]


@pytest.mark.parametrize(
    ("quantity", "unit_type", "field"),
    [
        ("2147483648", "qty", "stock"),
        ("1.5", "qty", "stock"),
        ("-1", "qty", "stock"),
        ("1.2345", "kg", "stock"),
    ],
)
def test_a_bad_stock_row_gets_the_same_answer_on_both_apis(
    seller_client, operator_client, market, listed, quantity, unit_type, field
):
    batch = send(
        seller_client, "post", STOCKS, [stock_item(market, stock=quantity, unit_type=unit_type)]
    )
    omnitron_answer = operator_client.post(
        "/omnitron/api/i1/product_stock/",
        [
            {
                "product_sku": "SKU1",
                "stock_list": market.stock.pk,
                "stock": quantity,
                "unit_type": unit_type,
            }
        ],
        format="json",
    )

    assert omnitron_answer.status_code == 400
    assert error_file(seller_client, batch)[0]["errors"] == omnitron_answer.json()["0"]


# --- attribute values: typed, within what a client reads back, never dropped silently --------


@pytest.mark.parametrize(
    ("value", "codes"),
    [
        (None, ["null"]),
        ("", ["blank"]),
        ([], ["empty"]),
        (10**20, ["invalid_attribute_value"]),
        ("9" * 40, ["invalid_attribute_value"]),
        (2**53, ["invalid_attribute_value"]),
        (-(2**53), ["invalid_attribute_value"]),
        ("0.1234567890123456", ["invalid_attribute_value"]),
        ("NaN", ["invalid_attribute_value"]),
        ("Infinity", ["invalid_attribute_value"]),
        ([3], ["invalid_attribute_value"]),
        ({"days": 3}, ["invalid_attribute_value"]),
        (True, ["invalid_attribute_value"]),
    ],
)
def test_a_number_attribute_refuses_what_it_cannot_hold(seller_client, market, value, codes):
    attributes = {"COLOR": "Red", "SIZE": "S", "ESTIMATED_SHIPPING_DURATION": value}

    batch = send(seller_client, "post", PRODUCTS, [product_row(market, attributes=attributes)])

    assert codes_of(seller_client, batch) == {
        0: {"attributes": {"ESTIMATED_SHIPPING_DURATION": codes}}
    }
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        (1, 1),
        ("2", 2),
        (2**53 - 1, 2**53 - 1),
        (-1, -1),
        ("1.5", 1.5),
        ("0.123456789012345", 0.123456789012345),
    ],
)
def test_a_number_attribute_stores_what_a_client_reads_back(seller_client, market, value, stored):
    attributes = {"COLOR": "Red", "SIZE": "S", "ESTIMATED_SHIPPING_DURATION": value}

    batch = send(seller_client, "post", PRODUCTS, [product_row(market, attributes=attributes)])

    assert batch.failed == 0
    assert Product.objects.get().attributes["ESTIMATED_SHIPPING_DURATION"] == stored


# --- PRD101: a product's optional fields left out keep their stored values ------------------


def without(row: dict, *names: str) -> dict:
    return {key: value for key, value in row.items() if key not in names}


@pytest.mark.parametrize("auto_approve", [False, True])
def test_an_update_that_leaves_out_optional_fields_keeps_them(seller_client, market, auto_approve):
    from pazar.marketplace.services.settings import marketplace_settings_update

    marketplace_settings_update(data={"auto_approve_products": auto_approve})
    first = product_row(market, sku="SKU1", restrict_for_others=True)
    send(seller_client, "post", PRODUCTS, [first])

    batch = send(
        seller_client,
        "post",
        PRODUCTS,
        [without(first, "images", "videos", "restrict_for_others", "prices", "stocks")],
    )

    assert batch.failed == 0
    product = Product.objects.get()
    assert product.images == first["images"] and product.videos == first["videos"]
    assert product.restrict_for_others is True
    assert ProductPrice.objects.get().price == Decimal("89.99")


@pytest.mark.parametrize(
    ("fields", "codes"),
    [
        ({"images": None}, {"images": ["null"]}),
        ({"videos": None}, {"videos": ["null"]}),
        ({"attributes": None}, {"attributes": ["null"]}),
        ({"name": ""}, {"name": ["blank"]}),
        ({"base_code": None}, {"base_code": ["null"]}),
        ({"category": ""}, {"category": ["invalid"]}),
        ({"restrict_for_others": ""}, {"restrict_for_others": ["invalid"]}),
        ({"product": ""}, {"product": ["invalid"]}),
    ],
)
def test_null_or_empty_product_fields_are_row_errors(seller_client, market, fields, codes):
    batch = send(seller_client, "post", PRODUCTS, [product_row(market, **fields)])

    assert codes_of(seller_client, batch) == {0: codes}


def test_empty_media_lists_and_a_null_restriction_are_values(seller_client, market):
    send(
        seller_client, "post", PRODUCTS, [product_row(market, sku="SKU1", restrict_for_others=True)]
    )

    batch = send(
        seller_client,
        "post",
        PRODUCTS,
        [product_row(market, sku="SKU1", images=[], videos=[], restrict_for_others=None)],
    )

    assert batch.failed == 0
    product = Product.objects.get()
    assert (product.images, product.videos, product.restrict_for_others) == ([], [], False)


def test_a_change_to_an_approved_product_proposes_the_left_out_fields_as_they_are(
    seller_client, market, operator
):
    from pazar.catalog.models import ProductRevision
    from pazar.catalog.services import products_approve

    first = product_row(market, sku="SKU1")
    send(seller_client, "post", PRODUCTS, [first])
    products_approve(products=list(Product.objects.all()), actor=operator)

    batch = send(
        seller_client, "post", PRODUCTS, [{**without(first, "images", "videos"), "name": "New"}]
    )

    assert batch.failed == 0
    revision = ProductRevision.objects.get()
    assert revision.data["name"] == "New"
    assert (revision.data["images"], revision.data["videos"]) == (first["images"], first["videos"])
    assert Product.objects.get().images == first["images"]
