"""A seller's product, sent through the Seller Center and approved, is an Omnitron product."""

import pytest

from pazar.catalog.models import Product
from tests.marketplace.helpers import build_marketplace, product_row, send

pytestmark = pytest.mark.django_db

PRE_PRODUCTS = "/omnitron/api/v1/pre_products/"


def test_a_prd101_product_is_an_omnitron_product_once_approved(seller_client, operator_client):
    # given: a seller's PRD101 batch, applied by the worker
    market = build_marketplace(seller_client.seller)
    batch = send(seller_client, "post", "/seller-center/api/i2/products/", [product_row(market)])
    assert batch.succeeded == 1
    product = Product.objects.get(sku="AKN-TSHRT")
    waiting_i1 = operator_client.get("/omnitron/api/i1/products/", {"sku": "AKN-TSHRT"})
    waiting_v1 = operator_client.get(f"/omnitron/api/v1/products/{product.pk}/")

    # when: the operator approves it as a pre-product
    approved = operator_client.patch(
        f"{PRE_PRODUCTS}{product.pk}/", {"approved": True}, format="json"
    )

    # then: both Omnitron APIs show it, with the data the seller sent
    assert waiting_i1.json()["count"] == 0
    assert waiting_v1.status_code == 404
    assert approved.status_code == 200
    by_sku = operator_client.get("/omnitron/api/i1/products/", {"sku": "akn-tshrt"})
    by_id = operator_client.get(f"/omnitron/api/v1/products/{product.pk}/")
    assert by_sku.json()["count"] == 1
    assert by_sku.json()["results"][0] == by_id.json()
    body = by_id.json()
    assert (body["pk"], body["uuid"], body["name"]) == (
        product.pk,
        str(product.uuid),
        "Akinon Red T-shirt",
    )
    assert body["attributes"] == {"COLOR": "Red", "SIZE": "S", "ESTIMATED_SHIPPING_DURATION": 1}
    assert body["category"] == market.tshirts.pk
    assert (body["is_seller_product"], body["data_source"]) == (True, str(seller_client.seller.pk))
    assert (body["product_type"], body["productization_date"] is not None) == ("0", True)
    # and the Seller Center still shows its product as approved
    listed = seller_client.get("/seller-center/api/i2/products/", {"sku": "AKN-TSHRT"})
    assert [item["approved"] for item in listed.json()["results"]] == [True]


def test_a_sellers_pending_change_stays_pending_while_omnitron_shows_the_approved_data(
    seller_client, operator_client
):
    market = build_marketplace(seller_client.seller)
    send(seller_client, "post", "/seller-center/api/i2/products/", [product_row(market)])
    product = Product.objects.get(sku="AKN-TSHRT")
    operator_client.patch(f"{PRE_PRODUCTS}{product.pk}/", {"approved": True}, format="json")

    send(
        seller_client,
        "post",
        "/seller-center/api/i2/products/",
        [product_row(market, name="Akinon Crimson T-shirt")],
    )

    shown = operator_client.get(f"/omnitron/api/v1/products/{product.pk}/").json()
    queued = operator_client.get(PRE_PRODUCTS).json()["results"]
    assert shown["name"] == "Akinon Red T-shirt"
    assert [(item["pk"], item["pending_changes"]) for item in queued] == [
        (product.pk, {"name": "Akinon Crimson T-shirt"})
    ]
