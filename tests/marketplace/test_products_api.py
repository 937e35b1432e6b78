"""Seller Center products (seed 002, PRD101-PRD108) as a seller's integration sees them."""

import json

import pytest
from rest_framework.test import APIClient

from pazar.batches.models import BatchRequest, BatchStatus
from pazar.batches.services import batch_run
from pazar.catalog.models import Product
from pazar.catalog.search import index_refresh
from pazar.catalog.services import products_approve
from pazar.core import config
from pazar.inventory.models import ProductStock
from pazar.pricing.models import ProductPrice
from tests.factories import SellerFactory, SellerMembershipFactory, seller_token
from tests.marketplace.helpers import product_row, send
from tests.windows import wait_for_window_room

pytestmark = pytest.mark.django_db

PRODUCTS = "/seller-center/api/i2/products/"
BATCH = "/seller-center/api/i2/products/batch-requests/"


def files_of(client, batch_id):
    body = client.get(f"{BATCH}{batch_id}").json()
    out = {}
    for kind in ("request_file", "success_file", "error_file"):
        path = body[kind].replace("http://testserver", "")
        out[kind] = json.loads(b"".join(client.get(path).streaming_content))
    return body, out


# --- seed 002 examples ---------------------------------------------------------------------


def test_prd101_example_is_accepted_and_its_batch_completes(seller_client, market):
    response = seller_client.post(PRODUCTS, [product_row(market)], format="json")

    assert response.status_code == 202
    assert list(response.json()) == ["batch_request_id"]
    batch_id = response.json()["batch_request_id"]
    waiting = seller_client.get(f"{BATCH}{batch_id}").json()
    assert waiting["status"] == 1
    assert waiting["state"] == {"total": 1, "succeeded": 0, "failed": 0}
    assert waiting["success_file"] is None and waiting["error_file"] is None

    batch_run(batch_id=batch_id)

    body, files = files_of(seller_client, batch_id)
    assert body["status"] == 3
    assert body["state"] == {"total": 1, "succeeded": 1, "failed": 0}
    assert body["registry"] == f"Product Upsert ({seller_client.seller.name})"
    assert isinstance(body["processed_in"], float)
    assert body["created_at"].endswith("Z") and body["updated_at"].endswith("Z")
    product = Product.objects.get(sku="AKN-TSHRT")
    assert files["success_file"] == [{"index": 0, "sku": "AKN-TSHRT", "id": str(product.uuid)}]
    assert files["error_file"] == []
    assert files["request_file"] == [product_row(market)]


def test_prd102_lists_the_product_in_the_documented_shape_once_approved(
    seller_client, market, operator
):
    send(seller_client, "post", PRODUCTS, [product_row(market)])
    assert seller_client.get(PRODUCTS).json()["count"] == 0  # approved defaults to true

    products_approve(products=list(Product.objects.all()), actor=operator)
    body = seller_client.get(PRODUCTS).json()

    assert body["count"] == 1
    item = body["results"][0]
    assert {
        k: item[k]
        for k in ["name", "base_code", "sku", "category", "attributes", "images", "videos"]
    } == {
        "name": "Akinon Red T-shirt",
        "base_code": "AKN-TSHRT",
        "sku": "AKN-TSHRT",
        "category": str(market.tshirts.uuid),
        "attributes": {"COLOR": "Red", "SIZE": "S", "ESTIMATED_SHIPPING_DURATION": 1},
        "images": ["https://placehold.co/1920x1080?text=Akinon%20Red%20T-shirt"],
        "videos": ["https://placehold.co/1920x1080.mp4?text=Akinon%20Red%20T-shirt"],
    }
    assert item["prices"] == [
        {
            "price_list": str(market.usd.uuid),
            "currency_type": "USD",
            "retail_price": "99.99",
            "price": "89.99",
            "tax_rate": "0.08",
        }
    ]
    assert item["stocks"] == [
        {
            "stock_list": str(market.stock.uuid),
            "unit_type": "qty",
            "stock": "90",
            "sold_quantity_unreported": "0",
        }
    ]
    assert item["approved"] is True
    assert item["approval"] == {"status": "approved", "reason": ""}
    assert item["updated_at"].endswith("Z")


def test_prd103_example_deletes_by_sku(seller_client, market):
    send(seller_client, "post", PRODUCTS, [product_row(market, sku="AKN-TSHRT-RD")])

    batch = send(seller_client, "delete", PRODUCTS, [{"sku": "AKN-TSHRT-RD"}, {"sku": "NOPE"}])

    assert (batch.status, batch.succeeded, batch.failed) == (BatchStatus.COMPLETED, 1, 1)
    assert not Product.objects.filter(sku="AKN-TSHRT-RD").exists()
    assert not ProductPrice.objects.exists() and not ProductStock.objects.exists()
    _, files = files_of(seller_client, batch.pk)
    assert files["error_file"] == [
        {
            "index": 1,
            "sku": "NOPE",
            "row": {"sku": "NOPE"},
            "errors": {"sku": ['No product with the SKU "NOPE".']},
            "codes": {"sku": ["unknown_sku"]},
        }
    ]


def test_prd104_105_106_examples_update_prices_and_stocks(seller_client, market):
    send(seller_client, "post", PRODUCTS, [product_row(market, sku="AKN-TSHRT-RD")])
    usd, stock = str(market.usd.uuid), str(market.stock.uuid)

    both = send(seller_client, "post", f"{PRODUCTS}prices-and-stocks/", [
        {"sku": "AKN-TSHRT-RD", "price_list": usd, "currency_type": "USD", "retail_price": "99.99",
         "price": "89.99", "tax_rate": "0.08", "stock_list": stock, "stock": "90", "unit_type": "qty"}
    ])  # fmt: skip
    prices = send(seller_client, "post", f"{PRODUCTS}prices/", [
        {"sku": "AKN-TSHRT-RD", "price_list": usd, "currency_type": "USD", "retail_price": "79.99", "price": "69.99", "tax_rate": "0.18"}
    ])  # fmt: skip
    stocks = send(seller_client, "post", f"{PRODUCTS}stocks/", [
        {"sku": "AKN-TSHRT-RD", "stock_list": stock, "stock": "12", "unit_type": "qty"}
    ])  # fmt: skip

    for batch in (both, prices, stocks):
        assert (batch.status, batch.total, batch.succeeded, batch.failed) == (3, 1, 1, 0)
    price = ProductPrice.objects.get()
    assert (str(price.price), str(price.retail_price), str(price.tax_rate)) == (
        "69.99",
        "79.99",
        "0.1800",
    )
    assert ProductStock.objects.get().stock == 12


def test_batch_request_path_works_with_and_without_trailing_slash(seller_client, market):
    batch = send(seller_client, "post", PRODUCTS, [product_row(market)])

    assert seller_client.get(f"{BATCH}{batch.pk}").status_code == 200
    assert seller_client.get(f"{BATCH}{batch.pk}/").status_code == 200


# --- envelope: 400 and nothing stored ------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"sku": "A"}, {"non_field_errors": ['Expected a list of items but got type "dict".']}),
        ([], {"non_field_errors": ["This list may not be empty."]}),
        ([{"sku": "A"}, "B"], {"1": ["Expected an object."]}),
        (
            [{"sku": "A"}, {"sku": "B"}, {"sku": "A"}],
            {
                "non_field_errors": [
                    "Each row must have a unique sku; repeated in rows 0 and 2 (sku=A)."
                ]
            },
        ),
    ],
)
@pytest.mark.parametrize("method", ["post", "delete"])
def test_bad_envelopes_are_a_400_and_store_nothing(seller_client, market, body, errors, method):
    response = getattr(seller_client, method)(PRODUCTS, body, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert not BatchRequest.objects.exists()


def test_more_than_1000_rows_are_refused(seller_client, market):
    rows = [{"sku": f"S{i}"} for i in range(1001)]

    response = seller_client.post(f"{PRODUCTS}stocks/", rows, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Ensure this list has no more than 1000 items; it has 1001."]
    }
    assert not BatchRequest.objects.exists()


def test_1000_rows_are_accepted(seller_client, market):
    rows = [product_row(market, sku=f"SKU-{i:04d}") for i in range(1000)]

    batch = send(seller_client, "post", PRODUCTS, rows)

    assert (batch.status, batch.succeeded, batch.failed) == (3, 1000, 0)
    assert Product.objects.count() == 1000
    assert ProductPrice.objects.count() == 1000


def test_duplicate_price_list_rows_for_one_sku_are_refused(seller_client, market):
    row = {"sku": "A", "price_list": str(market.usd.uuid), "currency_type": "USD", "price": "1"}

    response = seller_client.post(f"{PRODUCTS}prices/", [row, {**row, "price": "2"}], format="json")

    assert response.status_code == 400
    assert "repeated in rows 0 and 1" in response.json()["non_field_errors"][0]


# --- PRD102 filters ------------------------------------------------------------------------


@pytest.fixture
def listed(seller_client, market, operator):
    rows = [
        product_row(
            market,
            sku="TS-RED-S",
            name="Red Tee",
            base_code="TS-RED",
            attributes={"COLOR": "Red", "SIZE": "S", "MATERIAL": "Cotton"},
        ),
        product_row(
            market,
            sku="TS-BLUE-M",
            name="Blue Tee",
            base_code="TS-BLUE",
            attributes={"COLOR": "B", "SIZE": "M", "ESTIMATED_SHIPPING_DURATION": 3},
        ),
        product_row(
            market,
            sku="SH-RED-L",
            name="Red Shoe",
            base_code="SH-RED",
            category=str(market.shoes.uuid),
            attributes={"COLOR": "Red"},
        ),
        product_row(
            market, sku="PENDING", name="Pending Tee", attributes={"COLOR": "Red", "SIZE": "L"}
        ),
    ]
    send(seller_client, "post", PRODUCTS, rows)
    products_approve(products=list(Product.objects.exclude(sku="PENDING")), actor=operator)
    return market


@pytest.mark.parametrize(
    ("params", "skus"),
    [
        ({}, ["SH-RED-L", "TS-BLUE-M", "TS-RED-S"]),
        ({"approved": "false"}, ["PENDING"]),
        ({"approved": "true"}, ["SH-RED-L", "TS-BLUE-M", "TS-RED-S"]),
        ({"name": "Red Tee"}, ["TS-RED-S"]),
        ({"name__contains": "Tee"}, ["TS-BLUE-M", "TS-RED-S"]),
        ({"name__contains": "tee"}, []),
        ({"name__icontains": "RED"}, ["SH-RED-L", "TS-RED-S"]),
        ({"base_code": "TS-BLUE"}, ["TS-BLUE-M"]),
        ({"base_code__contains": "TS-"}, ["TS-BLUE-M", "TS-RED-S"]),
        ({"base_code__icontains": "sh-"}, ["SH-RED-L"]),
        ({"sku": "TS-RED-S"}, ["TS-RED-S"]),
        ({"sku__contains": "RED"}, ["SH-RED-L", "TS-RED-S"]),
        ({"sku__icontains": "blue"}, ["TS-BLUE-M"]),
        ({"attribute__COLOR": "Red"}, ["SH-RED-L", "TS-RED-S"]),
        ({"attribute__COLOR": "red"}, []),
        ({"attribute__COLOR__iexact": "red"}, ["SH-RED-L", "TS-RED-S"]),
        ({"attribute__MATERIAL__contains": "ott"}, ["TS-RED-S"]),
        ({"attribute__MATERIAL__contains": "OTT"}, []),
        ({"attribute__MATERIAL__icontains": "OTT"}, ["TS-RED-S"]),
        ({"attribute__MATERIAL__startswith": "Cot"}, ["TS-RED-S"]),
        ({"attribute__MATERIAL__istartswith": "cot"}, ["TS-RED-S"]),
        ({"attribute__MATERIAL__endswith": "ton"}, ["TS-RED-S"]),
        ({"attribute__MATERIAL__iendswith": "TON"}, ["TS-RED-S"]),
        ({"attribute__ESTIMATED_SHIPPING_DURATION": "3"}, ["TS-BLUE-M"]),
        ({"attribute__COLOR": "Red", "attribute__SIZE": "S"}, ["TS-RED-S"]),
    ],
)
def test_prd102_filters(seller_client, listed, params, skus):
    response = seller_client.get(PRODUCTS, params)

    assert response.status_code == 200, response.content
    assert sorted(item["sku"] for item in response.json()["results"]) == skus


def test_prd102_category_filters(seller_client, listed):
    one = seller_client.get(PRODUCTS, {"category": str(listed.shoes.uuid)}).json()
    both = seller_client.get(
        PRODUCTS, {"category__in": f"{listed.shoes.uuid},{listed.tshirts.uuid}"}
    ).json()
    bad = seller_client.get(PRODUCTS, {"category": "not-a-uuid"})

    assert [item["sku"] for item in one["results"]] == ["SH-RED-L"]
    assert both["count"] == 3
    assert bad.status_code == 400
    assert bad.json() == {"category": ["Enter a valid UUID."]}


def test_prd102_date_filters(seller_client, listed):
    product = Product.objects.get(sku="TS-RED-S")
    stamp = product.updated_at.isoformat().replace("+00:00", "Z")

    exact = seller_client.get(PRODUCTS, {"updated_at": stamp}).json()
    after = seller_client.get(PRODUCTS, {"created_at__gt": "2000-01-01T00:00:00Z"}).json()
    before = seller_client.get(PRODUCTS, {"created_at__lt": "2000-01-01T00:00:00Z"}).json()

    assert "TS-RED-S" in [item["sku"] for item in exact["results"]]
    assert after["count"] == 3
    assert before["count"] == 0


def test_a_malformed_attribute_filter_is_a_400_naming_it(seller_client, listed):
    response = seller_client.get(PRODUCTS, {"attribute__COLOR__regex": "R.*"})

    assert response.status_code == 400
    assert list(response.json()) == ["attribute__COLOR__regex"]


# --- isolation -----------------------------------------------------------------------------


def test_another_sellers_products_batches_and_files_are_404(seller_client, market):
    other = SellerMembershipFactory()
    market.usd.sellers.add(other.seller)  # the lists are open to both sellers
    market.stock.sellers.add(other.seller)
    batch = send(seller_client, "post", PRODUCTS, [product_row(market)])
    _, other_key = seller_token(other)
    seller_client.credentials(HTTP_AUTHORIZATION=f"Token {other_key}")

    status = seller_client.get(f"{BATCH}{batch.pk}")
    request_file = seller_client.get(f"{BATCH}{batch.pk}/files/request.json")
    listed = seller_client.get(PRODUCTS, {"approved": "false"}).json()

    assert (status.status_code, status.json()) == (
        404,
        {"detail": "Not found.", "code": "not_found"},
    )
    assert request_file.status_code == 404
    assert listed["count"] == 0


def test_the_same_sku_belongs_to_each_seller_separately(seller_client, market):
    other = SellerMembershipFactory()
    market.usd.sellers.add(other.seller)
    market.stock.sellers.add(other.seller)
    _, other_key = seller_token(other)
    other_client = APIClient()
    other_client.credentials(HTTP_AUTHORIZATION=f"Token {other_key}")

    mine = send(seller_client, "post", PRODUCTS, [product_row(market)])
    theirs = send(other_client, "post", PRODUCTS, [product_row(market)])

    assert (mine.succeeded, theirs.succeeded) == (1, 1)
    assert Product.objects.filter(sku="AKN-TSHRT").count() == 2


# --- categories and lists ------------------------------------------------------------------


def test_ctg101_returns_the_whole_tree_translated(seller_client, market):
    english = seller_client.get("/seller-center/api/i2/categories/").json()
    turkish = seller_client.get(
        "/seller-center/api/i2/categories/", HTTP_ACCEPT_LANGUAGE="tr-TR"
    ).json()

    assert english == [
        {
            "id": str(market.root.uuid),
            "name": "Marketplace",
            "parent": None,
            "children": [
                {
                    "id": str(market.tshirts.parent.uuid),
                    "name": "Men",
                    "parent": str(market.root.uuid),
                    "children": [
                        {
                            "id": str(market.shoes.uuid),
                            "name": "Shoes",
                            "parent": str(market.tshirts.parent.uuid),
                            "children": [],
                        },
                        {
                            "id": str(market.tshirts.uuid),
                            "name": "T-Shirts",
                            "parent": str(market.tshirts.parent.uuid),
                            "children": [],
                        },
                    ],
                }
            ],
        }
    ]
    assert turkish[0]["name"] == "Pazaryeri"
    assert turkish[0]["children"][0]["children"][1]["name"] == "Tişörtler"
    assert (
        turkish[0]["children"][0]["children"][0]["name"] == "Shoes"
    )  # no translation: the default


def test_ctg102_lists_a_categorys_attributes_with_inherited_ones(seller_client, market):
    response = seller_client.get(
        f"/seller-center/api/i2/categories/{market.tshirts.uuid}/attributes/",
        HTTP_ACCEPT_LANGUAGE="tr-tr",
    )

    body = response.json()
    assert response.status_code == 200
    assert [item["key"] for item in body] == [
        "COLOR",
        "SIZE",
        "ESTIMATED_SHIPPING_DURATION",
        "MATERIAL",
    ]
    color = body[0]
    assert color["name"] == "Renk"
    assert color["data_type"] == "dropdown"
    assert (
        color["is_required"],
        color["is_variant"],
        color["is_offer"],
        color["is_localizable"],
    ) == (True, True, False, False)
    assert [(v["label"], v["value"]) for v in color["values"]] == [("Kırmızı", "R"), ("Blue", "B")]
    assert body[2]["is_offer"] is True
    missing = seller_client.get(
        "/seller-center/api/i2/categories/00000000-0000-0000-0000-000000000000/attributes/"
    )
    assert (missing.status_code, missing.json()) == (
        404,
        {"detail": "Not found.", "code": "not_found"},
    )


def test_pli01_lists_only_the_price_lists_open_to_the_seller(seller_client, market):
    body = seller_client.get("/seller-center/api/i1/price-lists/").json()
    filtered = seller_client.get("/seller-center/api/i1/price-lists/", {"currency": "EUR"}).json()

    assert sorted(item["code"] for item in body["results"]) == ["eur", "usd"]
    assert set(body["results"][0]) == {"id", "name", "code", "currency", "created_at", "updated_at"}
    assert [item["code"] for item in filtered["results"]] == ["eur"]


def test_stock_lists_open_to_the_seller(seller_client, market):
    body = seller_client.get("/seller-center/api/i1/stock-lists/").json()

    assert [item["code"] for item in body["results"]] == ["main"]


def test_products_are_limited_to_10_requests_a_minute(seller_client, market, settings):
    settings.PAZAR_RATE_LIMITS = config.rate_limits(None)  # the documented defaults
    wait_for_window_room(room=10)
    codes = [seller_client.get(PRODUCTS).status_code for _ in range(11)]

    assert codes == [200] * 10 + [429]
    assert seller_client.post(PRODUCTS, [product_row(market)], format="json").status_code == 429
    assert seller_client.get("/seller-center/api/i2/categories/").status_code == 200


# --- PRD108 --------------------------------------------------------------------------------


def test_prd108_searches_the_catalog_in_the_documented_shape(seller_client, market, operator):
    send(seller_client, "post", PRODUCTS, [
        product_row(market, sku="AKN-TSHRT", name="Akinon Red T-shirt"),
        product_row(market, sku="AKN-HOODIE", name="Akinon Blue Hoodie", attributes={"COLOR": "Blue", "SIZE": "M"}),
        product_row(market, sku="WAITING", name="Akinon Red Waiting"),
    ])  # fmt: skip
    products_approve(products=list(Product.objects.exclude(sku="WAITING")), actor=operator)

    response = seller_client.get(f"{PRODUCTS}search/", {"query": "akinon red"})

    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["next"], body["previous"]) == (1, None, None)
    product = Product.objects.get(sku="AKN-TSHRT")
    assert body["results"] == [
        {
            "id": str(product.uuid),
            "name": "Akinon Red T-shirt",
            "base_code": "AKN-TSHRT",
            "sku": "AKN-TSHRT",
            "category": str(market.tshirts.uuid),
            "attributes": {"COLOR": "Red", "SIZE": "S", "ESTIMATED_SHIPPING_DURATION": 1},
            "images": ["https://placehold.co/1920x1080?text=Akinon%20Red%20T-shirt"],
            "videos": ["https://placehold.co/1920x1080.mp4?text=Akinon%20Red%20T-shirt"],
            "updated_at": product.updated_at.isoformat().replace("+00:00", "Z"),
            "created_at": product.created_at.isoformat().replace("+00:00", "Z"),
        }
    ]
    by_attribute = seller_client.get(f"{PRODUCTS}search/", {"query": "blue", "limit": 1}).json()
    assert [item["sku"] for item in by_attribute["results"]] == ["AKN-HOODIE"]


@pytest.mark.parametrize("params", [{}, {"query": ""}, {"query": "   "}])
def test_prd108_without_a_query_is_a_400(seller_client, market, params):
    response = seller_client.get(f"{PRODUCTS}search/", params)

    assert response.status_code == 400
    assert response.json() == {"query": ["This field is required."]}


def test_prd108_hides_products_restricted_to_another_seller(seller_client, market, operator):
    other = SellerFactory()
    Product.objects.create(
        seller=other,
        sku="MINE-ONLY",
        base_code="X",
        name="Secret Jacket",
        approved=True,
        restrict_for_others=True,
    )
    Product.objects.create(
        seller=other, sku="OPEN", base_code="Y", name="Open Jacket", approved=True
    )
    index_refresh(product_ids=list(Product.objects.values_list("pk", flat=True)))

    body = seller_client.get(f"{PRODUCTS}search/", {"query": "jacket"}).json()

    assert [item["sku"] for item in body["results"]] == ["OPEN"]
