"""Every product filter of omnitron.md §4, `sort=` and the page size, on i1 and v1."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pazar.catalog import services
from pazar.catalog.models import Product
from tests.factories import (
    AttributeConfigFactory,
    AttributeFactory,
    AttributeSetFactory,
    AttributeValueFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db

URLS = ["/omnitron/api/i1/products/", "/omnitron/api/v1/products/"]
FUTURE = (timezone.now() + timedelta(days=1)).isoformat()


@pytest.fixture
def catalog():
    """A product_meta with two variants, a grouped product, and a seller's approved product."""
    color = AttributeFactory(key="COLOR", data_type="dropdown")
    AttributeValueFactory(attribute=color, label="Red", value="RD")
    AttributeValueFactory(attribute=color, label="Blue", value="BL")
    grams = AttributeFactory(key="GRAMS", data_type="number")
    AttributeFactory(key="SIZE", data_type="text")
    tshirt, eco = AttributeSetFactory(name="T-Shirt"), AttributeSetFactory(name="Eco")
    for attribute in (color, grams):
        AttributeConfigFactory(attribute_set=tshirt, attribute=attribute)
    meta = services.product_create(sku="TS", name="T-shirt", product_type="1")
    red = services.product_create(
        sku="TS-RD", name="Red T-shirt", base_code="TS", parent=meta, attribute_set=tshirt,
        attributes={"COLOR": "Red", "GRAMS": 180}, extra_attributes={"erp_id": "7"},
        brand="Akinon", listing_code="L-1", description="Red cotton", tax_rate=18,
        weight="0.25", erp_categories=["ERP-1", "ERP-2"],
    )  # fmt: skip
    blue = services.product_create(
        sku="TS-BL", name="Blue T-shirt", base_code="TS", parent=meta, attribute_set=tshirt,
        custom_attribute_set=eco, attributes={"COLOR": "BL", "GRAMS": "200"}, brand="Other",
        localized_attributes={"CARE": {"tr-tr": "Pamuklu"}}, tax_rate=8, weight="0.5",
        is_active=False, erp_categories=["ERP-1"],
    )  # fmt: skip
    gift = services.product_create(
        sku="GIFT", name="Gift set", product_type="3", group_products=[red]
    )
    sellers = ProductFactory(sku="SELLER-1", base_code="SB", live=True)
    return {"meta": meta, "red": red, "blue": blue, "gift": gift, "sellers": sellers}


def skus(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["sku"] for item in response.json()["results"]]


ALL = ["TS", "TS-RD", "TS-BL", "GIFT", "SELLER-1"]

CASES = [
    ({"name": "T-shirt"}, ["TS"]),
    ({"name__icontains": "t-shirt"}, ["TS", "TS-RD", "TS-BL"]),
    ({"base_code": "TS"}, ["TS", "TS-RD", "TS-BL"]),
    ({"base_code__exact": "TS"}, ["TS", "TS-RD", "TS-BL"]),
    ({"base_code__iexact": "ts"}, ["TS", "TS-RD", "TS-BL"]),
    ({"base_code__exclude": "TS,SB"}, ["GIFT"]),
    ({"sku": "ts-rd"}, ["TS-RD"]),
    ({"sku__exact": "ts-rd"}, []),
    ({"sku__exact": "TS-RD"}, ["TS-RD"]),
    ({"sku__in": "TS-RD,GIFT"}, ["TS-RD", "GIFT"]),
    ({"sku__icontains": "ts-"}, ["TS-RD", "TS-BL"]),
    ({"uuid": lambda c: str(c["red"].uuid)}, ["TS-RD"]),
    ({"is_active": "false"}, ["TS-BL"]),
    ({"parent": lambda c: c["meta"].pk}, ["TS-RD", "TS-BL"]),
    ({"parent__isnull": "true"}, ["TS", "GIFT", "SELLER-1"]),
    ({"parent": 999999}, []),
    ({"group_products": lambda c: c["red"].pk}, ["GIFT"]),
    ({"attribute_set": lambda c: c["red"].attribute_set_id}, ["TS-RD", "TS-BL"]),
    ({"custom_attribute_set": lambda c: c["blue"].custom_attribute_set_id}, ["TS-BL"]),
    ({"listing_code": "L-1"}, ["TS-RD"]),
    ({"is_seller_product": "true"}, ["SELLER-1"]),
    ({"is_seller_product": "false"}, ["TS", "TS-RD", "TS-BL", "GIFT"]),
    ({"brand": "Akinon"}, ["TS-RD"]),
    ({"brand__icontains": "o"}, ["TS-RD", "TS-BL"]),
    ({"erp_categories": "ERP-2"}, ["TS-RD"]),
    ({"erp_categories": "ERP-1"}, ["TS-RD", "TS-BL"]),
    ({"tax_rate": "18"}, ["TS-RD"]),
    ({"tax_rate__lt": "10"}, ["TS-BL"]),
    ({"description__icontains": "COTTON"}, ["TS-RD"]),
    ({"weight__gte": "0.3"}, ["TS-BL"]),
    ({"product_type": "3"}, ["GIFT"]),
    ({"product_type__in": "1,3"}, ["TS", "GIFT"]),
    ({"productization_date__gte": FUTURE}, []),
    ({"productization_date__isnull": "true"}, ["SELLER-1"]),
    ({"data_source": lambda c: str(c["sellers"].seller_id)}, ["SELLER-1"]),
    ({"pk": lambda c: c["red"].pk}, ["TS-RD"]),
    ({"pk__gt": lambda c: c["blue"].pk}, ["GIFT", "SELLER-1"]),
    ({"pk__gte": lambda c: c["blue"].pk}, ["TS-BL", "GIFT", "SELLER-1"]),
    ({"pk__lt": lambda c: c["red"].pk}, ["TS"]),
    ({"pk__lte": lambda c: c["red"].pk}, ["TS", "TS-RD"]),
    ({"pk__in": lambda c: f"{c['gift'].pk},{c['meta'].pk}"}, ["TS", "GIFT"]),
    ({"created_date__gte": FUTURE}, []),
    ({"modified_date__lt": FUTURE}, ALL),
    ({"attributes__COLOR": "RD"}, ["TS-RD"]),
    ({"attributes__color": "BL"}, ["TS-BL"]),
    ({"attributes__COLOR": ["RD", "BL"]}, ["TS-RD", "TS-BL"]),
    ({"attributes__COLOR__in": "RD,BL"}, ["TS-RD", "TS-BL"]),
    ({"attributes__COLOR__icontains": "b"}, ["TS-BL"]),
    ({"attributes__COLOR__contains": "R"}, ["TS-RD"]),
    ({"attributes__GRAMS": "180"}, ["TS-RD"]),
    ({"attributes__GRAMS__gte": "190"}, ["TS-BL"]),
    ({"attributes__GRAMS__isnull": "true"}, ["TS", "GIFT", "SELLER-1"]),
    ({"attributes_kwargs__COLOR__label": "Red"}, ["TS-RD"]),
    ({"localized_attributes__CARE__tr-tr": "Pamuklu"}, ["TS-BL"]),
    ({"localized_attributes__CARE__tr-tr__icontains": "pamuk"}, ["TS-BL"]),
    ({"extra_attributes__erp_id": "7"}, ["TS-RD"]),
    ({"extra_attributes__erp_id": "8"}, []),
    ({"attributes__GRAMS": "480962093855424643072"}, []),
    ({"pk__in": "480962093855424643072"}, []),
]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(("params", "expected"), CASES)
def test_products_filter_like_omnitron(operator_client, catalog, url, params, expected):
    params = {name: value(catalog) if callable(value) else value for name, value in params.items()}

    response = operator_client.get(url, params)

    assert skus(response) == expected


@pytest.mark.parametrize("text", ["1e400", "nan", "-inf"])
def test_a_number_json_cannot_hold_is_compared_as_text(operator_client, catalog, text):
    response = operator_client.get(URLS[1], {"attributes__GRAMS__gt": text})

    assert response.status_code == 200  # how a number compares with a text is the database's


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"pk__gt": "x"}, {"pk__gt": ["Enter a whole number."]}),
        ({"tax_rate__lt": "x"}, {"tax_rate__lt": ["Enter a number."]}),
        ({"attributes__": "x"}, {"attributes__": ["Name a key: attributes__<key>=<value>."]}),
        (
            {"attributes__SIZE__isnull": "maybe"},
            {"attributes__SIZE__isnull": ["Enter true or false."]},
        ),
        (
            {"product_type": "9"},
            {"product_type": ["Select a valid choice. 9 is not one of the available choices."]},
        ),
    ],
)
def test_a_malformed_filter_is_a_400_naming_it(operator_client, catalog, params, errors):
    response = operator_client.get(URLS[1], params)

    assert response.status_code == 400
    assert response.json() == errors


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-pk", ["SELLER-1", "GIFT", "TS-BL", "TS-RD", "TS"]),
        ("-id", ["SELLER-1", "GIFT", "TS-BL", "TS-RD", "TS"]),
        ("modified_date", ["TS-BL", "GIFT", "TS", "TS-RD", "SELLER-1"]),
        ("brand,-pk", ["SELLER-1", "GIFT", "TS", "TS-RD", "TS-BL"]),
        ("-product_type,sku", ["GIFT", "TS", "SELLER-1", "TS-BL", "TS-RD"]),
    ],
)
def test_products_sort_by_one_or_several_fields(operator_client, catalog, sort, expected):
    order = ["blue", "gift", "meta", "red", "sellers"]
    start = timezone.now() - timedelta(days=1)
    for minutes, name in enumerate(order):
        Product.objects.filter(pk=catalog[name].pk).update(
            updated_at=start + timedelta(minutes=minutes)
        )

    response = operator_client.get(URLS[0], {"sort": sort})

    assert skus(response) == expected


def test_an_unknown_sort_field_is_a_400(operator_client, catalog):
    response = operator_client.get(URLS[1], {"sort": "colour"})

    assert response.status_code == 400
    assert response.json() == {
        "sort": ["Select a valid choice. colour is not one of the available choices."]
    }


def test_products_come_ten_to_a_page(operator_client):
    for number in range(12):
        services.product_create(sku=f"SKU-{number:02}", name=f"Product {number}")

    first = operator_client.get(URLS[0])
    second = operator_client.get(first.json()["next"])
    small = operator_client.get(URLS[1], {"limit": 5, "page": 3})

    assert first.json()["count"] == 12
    assert len(first.json()["results"]) == 10
    assert first.json()["next"] == "http://testserver/omnitron/api/i1/products/?page=2"
    assert skus(second) == ["SKU-10", "SKU-11"]
    assert second.json()["next"] is None
    assert skus(small) == ["SKU-10", "SKU-11"]
