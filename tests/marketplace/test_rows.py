"""Row-by-row validation of batches, and what an applied row does to approval."""

import json

import pytest

from pazar.catalog.models import Product, ProductRevision
from pazar.catalog.services import products_approve, products_reject
from pazar.inventory.models import ProductStock
from pazar.marketplace.models import MarketplaceSettings
from pazar.pricing.models import ProductPrice
from tests.marketplace.helpers import product_row, send

pytestmark = pytest.mark.django_db

PRODUCTS = "/seller-center/api/i2/products/"


def errors_of(client, batch):
    body = client.get(f"/seller-center/api/i2/products/batch-requests/{batch.pk}").json()
    path = body["error_file"].replace("http://testserver", "")
    return {
        item["index"]: item["errors"]
        for item in json.loads(b"".join(client.get(path).streaming_content))
    }


# --- PRD101 rows ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"name": None}, {"name": ["This field may not be null."]}),
        ({"name": "  "}, {"name": ["This field may not be blank."]}),
        ({"name": "x" * 256}, {"name": ["Ensure this field has no more than 255 characters."]}),
        ({"base_code": ["a"]}, {"base_code": ["Not a valid string."]}),
        ({"category": "nope"}, {"category": ["Must be a valid UUID."]}),
        (
            {"category": "00000000-0000-0000-0000-000000000000"},
            {
                "category": [
                    'Invalid pk "00000000-0000-0000-0000-000000000000" - object does not exist.'
                ]
            },
        ),
        ({"attributes": {"COLOR": "Red"}}, {"attributes": {"SIZE": ["This field is required."]}}),
        (
            {"attributes": {"COLOR": "Purple", "SIZE": "S"}},
            {
                "attributes": {
                    "COLOR": ['"Purple" is not a valid choice. Valid choices: Red, Blue.']
                }
            },
        ),
        (
            {"attributes": {"COLOR": "Red", "SIZE": "S", "WEIGHT": 3}},
            {"attributes": {"WEIGHT": ["Not an attribute of this product's category."]}},
        ),
        (
            {"attributes": {"COLOR": "Red", "SIZE": "S", "ESTIMATED_SHIPPING_DURATION": "soon"}},
            {"attributes": {"ESTIMATED_SHIPPING_DURATION": ["A valid number is required."]}},
        ),
        (
            {"attributes": "COLOR=Red"},
            {"attributes": ['Expected a dictionary of items but got type "str".']},
        ),
        ({"images": ["not a url"]}, {"images": {"0": ["Enter a valid URL."]}}),
        (
            {"images": "https://x.test/a.jpg"},
            {"images": ['Expected a list of items but got type "str".']},
        ),
        ({"restrict_for_others": "maybe"}, {"restrict_for_others": ["Must be a valid boolean."]}),
        (
            {"product": "00000000-0000-0000-0000-000000000000"},
            {
                "product": [
                    'Invalid pk "00000000-0000-0000-0000-000000000000" - object does not exist.'
                ]
            },
        ),
    ],
)
def test_product_rows_are_validated_one_by_one(seller_client, market, overrides, errors):
    rows = [product_row(market, sku="GOOD"), product_row(market, sku="BAD", **overrides)]

    batch = send(seller_client, "post", PRODUCTS, rows)

    assert (batch.status, batch.succeeded, batch.failed) == (3, 1, 1)
    assert errors_of(seller_client, batch) == {1: errors}
    assert list(Product.objects.values_list("sku", flat=True)) == ["GOOD"]


def test_a_missing_sku_is_a_row_error(seller_client, market):
    row = product_row(market)
    del row["sku"]

    batch = send(seller_client, "post", PRODUCTS, [row])

    assert errors_of(seller_client, batch) == {0: {"sku": ["This field is required."]}}


def test_dropdown_values_match_a_label_or_a_value_in_any_case(seller_client, market):
    rows = [
        product_row(market, sku="BY-LABEL", attributes={"COLOR": "Red", "SIZE": "S"}),
        product_row(market, sku="BY-VALUE", attributes={"COLOR": "R", "SIZE": "m"}),
    ]

    batch = send(seller_client, "post", PRODUCTS, rows)

    assert batch.failed == 0
    assert Product.objects.get(sku="BY-VALUE").attributes == {"COLOR": "R", "SIZE": "m"}


@pytest.mark.parametrize(
    ("price", "errors"),
    [
        ({"price_list": "CLOSED", "currency_type": "USD", "price": "1"}, None),
        (
            {"currency_type": "EUR", "price": "1"},
            {"currency_type": ["Must be the currency of the price list (USD)."]},
        ),
        (
            {"currency_type": "XXX", "price": "1"},
            {"currency_type": ['"XXX" is not a valid choice.']},
        ),
        (
            {"currency_type": "usd", "price": "1.999"},
            {"price": ["Ensure that there are no more than 2 decimal places."]},
        ),
        ({"currency_type": "USD", "price": "abc"}, {"price": ["A valid number is required."]}),
        (
            {"currency_type": "USD", "price": "-1"},
            {"price": ["Ensure this value is greater than or equal to 0."]},
        ),
        (
            {"currency_type": "USD", "price": "100", "retail_price": "99.99"},
            {"price": ["Ensure this value is less than or equal to the retail price (99.99)."]},
        ),
        (
            {"currency_type": "USD", "price": "10", "tax_rate": "18"},
            {"tax_rate": ["Ensure this value is less than or equal to 1."]},
        ),
        ({"currency_type": "USD"}, {"price": ["This field is required."]}),
        (  # more digits than a Decimal holds: was a failed batch (InvalidOperation)
            {"currency_type": "USD", "price": "9" * 40},
            {"price": ["Ensure that there are no more than 20 digits in total."]},
        ),
        (
            {"currency_type": "USD", "price": "1e30"},
            {"price": ["Ensure that there are no more than 20 digits in total."]},
        ),
        (  # a list where an id belongs: was a failed batch (TypeError: unhashable)
            {"currency_type": "USD", "price": "1", "price_list": ["x"]},
            {"price_list": ["Must be a valid UUID."]},
        ),
    ],
)
def test_price_rows_are_validated(seller_client, market, price, errors):
    send(seller_client, "post", PRODUCTS, [product_row(market, sku="SKU1", prices=[])])
    item = {"sku": "SKU1", "price_list": str(market.usd.uuid), **price}
    if price.get("price_list") == "CLOSED":
        item["price_list"] = str(market.closed_prices.uuid)
        errors = {
            "price_list": [f'Invalid pk "{market.closed_prices.uuid}" - object does not exist.']
        }

    batch = send(seller_client, "post", f"{PRODUCTS}prices/", [item])

    assert errors_of(seller_client, batch) == {0: errors}
    assert not ProductPrice.objects.exists()


@pytest.mark.parametrize(
    ("stock", "errors"),
    [
        ({"stock": "-1"}, {"stock": ["Ensure this value is greater than or equal to 0."]}),
        (
            {"stock": "1.5"},
            {"stock": ["A quantity counted in units (qty) must be a whole number."]},
        ),
        ({"stock": "1.5", "unit_type": "kg"}, None),
        ({"stock": "3", "unit_type": "box"}, {"unit_type": ['"box" is not a valid choice.']}),
        ({"stock": "1", "stock_list": "CLOSED"}, None),
        ({"stock": "1", "sku": "NOPE"}, {"sku": ['No product with the SKU "NOPE".']}),
        (
            {"stock": "9" * 40},
            {"stock": ["Ensure that there are no more than 20 digits in total."]},
        ),
        ({"stock": "1", "stock_list": {"a": 1}}, {"stock_list": ["Must be a valid UUID."]}),
    ],
)
def test_stock_rows_are_validated(seller_client, market, stock, errors):
    send(seller_client, "post", PRODUCTS, [product_row(market, sku="SKU1", stocks=[])])
    item = {"sku": "SKU1", "stock_list": str(market.stock.uuid), **stock}
    if stock.get("stock_list") == "CLOSED":
        item["stock_list"] = str(market.closed_stock.uuid)
        errors = {
            "stock_list": [f'Invalid pk "{market.closed_stock.uuid}" - object does not exist.']
        }

    batch = send(seller_client, "post", f"{PRODUCTS}stocks/", [item])

    if errors is None:
        assert batch.failed == 0
        assert str(ProductStock.objects.get().stock) == "1.500"
    else:
        assert errors_of(seller_client, batch) == {0: errors}


def test_nested_prices_and_stocks_errors_carry_their_position(seller_client, market):
    row = product_row(
        market,
        prices=[
            {"price_list": str(market.usd.uuid), "currency_type": "USD", "price": "1"},
            {"price_list": str(market.usd.uuid), "currency_type": "USD", "price": "2"},
        ],
        stocks=[{"stock_list": str(market.stock.uuid), "stock": "-4"}],
    )

    batch = send(seller_client, "post", PRODUCTS, [row])

    assert errors_of(seller_client, batch) == {
        0: {
            "prices": {"1": {"price_list": ["This list appears twice for this product."]}},
            "stocks": {"0": {"stock": ["Ensure this value is greater than or equal to 0."]}},
        }
    }


def test_a_stock_update_resets_the_unreported_sales(seller_client, market):
    send(seller_client, "post", PRODUCTS, [product_row(market, sku="SKU1")])
    ProductStock.objects.update(sold_quantity_unreported=4)

    send(
        seller_client,
        "post",
        f"{PRODUCTS}stocks/",
        [{"sku": "SKU1", "stock_list": str(market.stock.uuid), "stock": "80"}],
    )

    stock = ProductStock.objects.get()
    assert (stock.stock, stock.sold_quantity_unreported) == (80, 0)


# --- approval ------------------------------------------------------------------------------


def test_new_products_wait_for_approval_unless_auto_approved(seller_client, market):
    send(seller_client, "post", PRODUCTS, [product_row(market, sku="WAITS")])
    MarketplaceSettings.objects.update_or_create(pk=1, defaults={"auto_approve_products": True})
    send(seller_client, "post", PRODUCTS, [product_row(market, sku="LIVE")])

    assert Product.objects.get(sku="WAITS").approved is False
    assert Product.objects.get(sku="WAITS").approval_status == "pending"
    assert Product.objects.get(sku="LIVE").approved is True
    assert [p["sku"] for p in seller_client.get(PRODUCTS).json()["results"]] == ["LIVE"]


def test_a_catalog_change_to_an_approved_product_waits_while_the_approved_data_stays(
    seller_client, market, operator
):
    send(seller_client, "post", PRODUCTS, [product_row(market, sku="SKU1")])
    products_approve(products=list(Product.objects.all()), actor=operator)

    send(seller_client, "post", PRODUCTS, [product_row(market, sku="SKU1", name="Renamed Tee")])

    listed = seller_client.get(PRODUCTS).json()["results"][0]
    assert listed["name"] == "Akinon Red T-shirt"
    assert listed["approved"] is True
    assert listed["approval"] == {"status": "pending", "reason": ""}
    assert ProductRevision.objects.get().data["name"] == "Renamed Tee"

    products_approve(products=list(Product.objects.all()), actor=operator)

    assert seller_client.get(PRODUCTS).json()["results"][0]["name"] == "Renamed Tee"
    assert ProductRevision.objects.get().status == "approved"


def test_offer_attributes_change_at_once_without_approval(seller_client, market, operator):
    send(seller_client, "post", PRODUCTS, [product_row(market, sku="SKU1")])
    products_approve(products=list(Product.objects.all()), actor=operator)

    changed = product_row(
        market,
        sku="SKU1",
        attributes={"COLOR": "Red", "SIZE": "S", "ESTIMATED_SHIPPING_DURATION": 5},
    )
    send(seller_client, "post", PRODUCTS, [changed])

    product = Product.objects.get()
    assert product.attributes["ESTIMATED_SHIPPING_DURATION"] == 5
    assert product.approval_status == "approved"
    assert not ProductRevision.objects.exists()


def test_a_rejection_reason_reaches_the_seller_and_a_resubmission_waits_again(
    seller_client, market, operator
):
    send(seller_client, "post", PRODUCTS, [product_row(market, sku="SKU1")])
    products_reject(
        products=list(Product.objects.all()), actor=operator, reason="Images are blurry."
    )

    rejected = seller_client.get(PRODUCTS, {"approved": "false"}).json()["results"][0]
    send(
        seller_client,
        "post",
        PRODUCTS,
        [product_row(market, sku="SKU1", images=["https://cdn.test/sharp.jpg"])],
    )
    resubmitted = seller_client.get(PRODUCTS, {"approved": "false"}).json()["results"][0]

    assert rejected["approval"] == {"status": "rejected", "reason": "Images are blurry."}
    assert resubmitted["approval"] == {"status": "pending", "reason": ""}
    assert resubmitted["images"] == ["https://cdn.test/sharp.jpg"]


def test_going_back_to_the_approved_data_withdraws_the_pending_change(
    seller_client, market, operator
):
    send(seller_client, "post", PRODUCTS, [product_row(market, sku="SKU1")])
    products_approve(products=list(Product.objects.all()), actor=operator)
    send(seller_client, "post", PRODUCTS, [product_row(market, sku="SKU1", name="Other")])

    send(seller_client, "post", PRODUCTS, [product_row(market, sku="SKU1")])

    assert not ProductRevision.objects.exists()
    assert Product.objects.get().approval_status == "approved"


def test_an_offer_links_to_a_visible_catalog_product(seller_client, market, operator):
    send(seller_client, "post", PRODUCTS, [product_row(market, sku="MASTER")])
    master = Product.objects.get()
    products_approve(products=[master], actor=operator)

    batch = send(
        seller_client,
        "post",
        PRODUCTS,
        [product_row(market, sku="OFFER", product=str(master.uuid))],
    )

    assert batch.failed == 0
    offer = Product.objects.get(sku="OFFER")
    assert offer.catalog_product == master
    listed = seller_client.get(PRODUCTS, {"approved": "false"}).json()["results"][0]
    assert listed["product"] == str(master.uuid)


def test_restricted_products_of_other_sellers_cannot_be_linked(seller_client, market, operator):
    from tests.factories import SellerFactory

    other = SellerFactory()
    hidden = Product.objects.create(
        seller=other, sku="X", base_code="X", name="X", approved=True, restrict_for_others=True
    )

    batch = send(seller_client, "post", PRODUCTS, [product_row(market, product=str(hidden.uuid))])

    assert errors_of(seller_client, batch) == {
        0: {"product": [f'Invalid pk "{hidden.uuid}" - object does not exist.']}
    }
