"""Omnitron products over i1 (by SKU) and v1 (by id): create, read, change (omnitron.md §4)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from pazar.catalog import services
from pazar.catalog.models import Product
from pazar.catalog.search import catalog_search
from tests.factories import (
    AttributeConfigFactory,
    AttributeFactory,
    AttributeSetFactory,
    AttributeValueFactory,
    ProductFactory,
    operator_token,
    staff_with_perms,
)

pytestmark = pytest.mark.django_db

I1 = "/omnitron/api/i1/products/"
V1 = "/omnitron/api/v1/products/"


def iso(value) -> str | None:
    return value and value.isoformat().replace("+00:00", "Z")


def product_body(product: Product) -> dict:
    product.refresh_from_db()
    return {
        "pk": product.pk,
        "id": product.pk,
        "uuid": str(product.uuid),
        "name": product.name,
        "sku": product.sku,
        "base_code": product.base_code,
        "product_type": product.product_type,
        "is_active": product.is_active,
        "attribute_set": product.attribute_set_id,
        "custom_attribute_set": product.custom_attribute_set_id,
        "category": product.category_id,
        "attributes": product.attributes,
        "attributes_kwargs": product.attributes_kwargs,
        "localized_attributes": product.localized_attributes,
        "localized_attributes_kwargs": product.localized_attributes_kwargs,
        "extra_attributes": product.extra_attributes,
        "parent": product.parent_id,
        "group_products": sorted(product.group_products.values_list("pk", flat=True)),
        "listing_code": product.listing_code,
        "brand": product.brand,
        "erp_categories": product.erp_categories,
        "tax_rate": None if product.tax_rate is None else str(product.tax_rate),
        "description": product.description,
        "weight": None if product.weight is None else str(product.weight),
        "productization_date": iso(product.productization_date),
        "data_source": product.seller_id and str(product.seller_id),
        "is_seller_product": product.seller_id is not None,
        "created_date": iso(product.created_at),
        "modified_date": iso(product.updated_at),
    }


@pytest.fixture
def tshirt():
    """An attribute set with one attribute of each kind the products are checked against."""
    attribute_set = AttributeSetFactory(name="T-Shirt")
    color = AttributeFactory(key="COLOR", data_type="dropdown")
    AttributeValueFactory(attribute=color, label="Red", value="RD")
    AttributeValueFactory(attribute=color, label="Blue", value="BL")
    size = AttributeFactory(key="SIZE", data_type="dropdown")
    for order, label in enumerate(["S", "M"]):
        AttributeValueFactory(attribute=size, label=label, value=label, order=order)
    tags = AttributeFactory(key="TAGS", data_type="multiple")
    AttributeValueFactory(attribute=tags, label="Summer", value="summer", order=0)
    AttributeValueFactory(attribute=tags, label="Sale", value="sale", order=1)
    AttributeConfigFactory(attribute_set=attribute_set, attribute=color, is_variant=True)
    AttributeConfigFactory(attribute_set=attribute_set, attribute=size, is_required=True)
    AttributeConfigFactory(attribute_set=attribute_set, attribute=tags)
    for key, data_type in [
        ("MATERIAL", "text"), ("CARE", "text_area"), ("RELEASE", "date"), ("LAUNCH", "datetime"),
        ("ORGANIC", "boolean"), ("GRAMS", "number"), ("MSRP", "price"), ("CONTACT", "email"),
        ("SPECS", "nested_object"),
    ]:  # fmt: skip
        AttributeConfigFactory(
            attribute_set=attribute_set, attribute=AttributeFactory(key=key, data_type=data_type)
        )
    return attribute_set


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {operator_token(user)}")
    return client


def create(client, body: dict, url: str = I1):
    return client.post(url, body, format="json")


# --- create and read ----------------------------------------------------------------------


def test_a_product_created_through_i1_by_sku_is_read_through_v1_by_id(operator_client, tshirt):
    response = create(
        operator_client,
        {
            "name": "Red T-shirt, S",
            "sku": "TS-RD-S",
            "base_code": "TS",
            "attribute_set": tshirt.pk,
            "attributes": {"COLOR": "Red", "SIZE": "s", "TAGS": ["Summer", "sale"]},
            "product_type": 0,
            "is_active": True,
            "tax_rate": 18,
            "weight": "0.25",
        },
    )

    assert response.status_code == 201
    product = Product.objects.get(sku="TS-RD-S")
    assert response.json() == product_body(product)
    assert response.json()["attributes"] == {"COLOR": "RD", "SIZE": "S", "TAGS": ["summer", "sale"]}
    assert response.json()["attributes_kwargs"] == {
        "COLOR": {"label": "Red", "value": "RD"},
        "SIZE": {"label": "S", "value": "S"},
        "TAGS": [{"label": "Summer", "value": "summer"}, {"label": "Sale", "value": "sale"}],
    }
    assert (response.json()["tax_rate"], response.json()["weight"]) == ("18.00", "0.250")
    assert (product.seller, product.approved, product.approval_status) == (None, True, "approved")
    by_sku = operator_client.get(I1, {"sku": "ts-rd-s"})
    by_id = operator_client.get(f"{V1}{product.pk}/")
    assert by_sku.json()["results"] == [product_body(product)]
    assert by_id.status_code == 200
    assert by_id.json() == product_body(product)


def test_a_product_needs_only_a_name_and_a_sku(operator_client):
    response = create(operator_client, {"name": "Gift card", "sku": "GIFT-1"}, url=V1)

    assert response.status_code == 201
    body = response.json()
    assert (body["base_code"], body["product_type"], body["is_active"]) == ("GIFT-1", "0", True)
    assert body["productization_date"] is not None
    assert (body["is_seller_product"], body["data_source"]) == (False, None)


def test_an_operator_sku_is_unique_among_operator_products_only(operator_client):
    ProductFactory(sku="SHARED-1")  # a seller's product with the same SKU
    first = create(operator_client, {"name": "One", "sku": "SHARED-1"})

    again = create(operator_client, {"name": "Two", "sku": "SHARED-1"})

    assert first.status_code == 201
    assert again.status_code == 400
    assert again.json() == {"sku": ['A product with the SKU "SHARED-1" already exists.']}
    assert Product.objects.filter(sku="SHARED-1", seller=None).count() == 1


@pytest.mark.parametrize(
    ("attributes", "errors"),
    [
        ({"COLOR": "Red"}, {"SIZE": ["This field is required."]}),
        ({"SIZE": ""}, {"SIZE": ["This field is required."]}),
        (
            {"SIZE": "XL"},
            {"SIZE": ['"XL" is not a valid choice. Valid choices: S, M.']},
        ),
        (
            {"SIZE": "S", "TAGS": ["summer", "winter"]},
            {"TAGS": ['"winter" is not a valid choice. Valid choices: Summer, Sale.']},
        ),
        (
            {"SIZE": "S", "RELEASE": "01/02/2025"},
            {"RELEASE": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]},
        ),
        (
            {"SIZE": "S", "LAUNCH": "tomorrow"},
            {
                "LAUNCH": [
                    "Datetime has wrong format. Use one of these formats instead: "
                    "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
                ]
            },
        ),
        ({"SIZE": "S", "ORGANIC": "yes"}, {"ORGANIC": ["Must be a valid boolean."]}),
        ({"SIZE": "S", "GRAMS": "heavy"}, {"GRAMS": ["A valid number is required."]}),
        ({"SIZE": "S", "MSRP": "9,99"}, {"MSRP": ["A valid number is required."]}),
        ({"SIZE": "S", "CONTACT": "nobody"}, {"CONTACT": ["Enter a valid email address."]}),
        ({"SIZE": "S", "MATERIAL": {"a": 1}}, {"MATERIAL": ["Not a valid string."]}),
        (
            {"SIZE": "S", "SPECS": "wide"},
            {"SPECS": ['Expected an object or a list but got type "str".']},
        ),
        (
            {"SIZE": "S", "VOLTAGE": 220},
            {"VOLTAGE": ["Not an attribute of this product's attribute set."]},
        ),
    ],
)
def test_attributes_are_checked_against_the_attribute_set(
    operator_client, tshirt, attributes, errors
):
    AttributeFactory(key="VOLTAGE", data_type="number")  # exists, but not in the set

    response = create(
        operator_client,
        {"name": "Tee", "sku": "TEE-1", "attribute_set": tshirt.pk, "attributes": attributes},
    )

    assert response.status_code == 400
    assert response.json() == {"attributes": errors}
    assert not Product.objects.exists()


def test_attribute_values_are_stored_in_their_parsed_form(operator_client, tshirt):
    response = create(
        operator_client,
        {
            "name": "Tee",
            "sku": "TEE-1",
            "attribute_set": tshirt.pk,
            "attributes": {
                "SIZE": "M",
                "TAGS": "summer, sale",
                "RELEASE": "2025-03-01",
                "LAUNCH": "2025-03-01T10:00:00Z",
                "ORGANIC": "true",
                "GRAMS": "180",
                "MSRP": 19.9,
                "CONTACT": "care@example.com",
                "SPECS": {"fit": "slim"},
                "MATERIAL": "",
            },
        },
    )

    assert response.status_code == 201
    assert response.json()["attributes"] == {
        "SIZE": "M",
        "TAGS": ["summer", "sale"],
        "RELEASE": "2025-03-01",
        "LAUNCH": "2025-03-01T10:00:00+00:00",
        "ORGANIC": True,
        "GRAMS": 180,
        "MSRP": "19.9",
        "CONTACT": "care@example.com",
        "SPECS": {"fit": "slim"},
    }


def test_without_an_attribute_set_any_known_attribute_is_accepted(operator_client, tshirt):
    ok = create(operator_client, {"name": "A", "sku": "A-1", "attributes": {"COLOR": "blue"}})
    unknown = create(operator_client, {"name": "B", "sku": "B-1", "attributes": {"FOO": "x"}})

    assert ok.status_code == 201
    assert ok.json()["attributes"] == {"COLOR": "BL"}
    assert unknown.status_code == 400
    assert unknown.json() == {"attributes": {"FOO": ["No such attribute."]}}


def test_a_custom_attribute_set_adds_its_attributes(operator_client, tshirt):
    extra = AttributeSetFactory(name="Eco")
    AttributeConfigFactory(
        attribute_set=extra, attribute=AttributeFactory(key="CO2"), is_required=True
    )

    missing = create(
        operator_client,
        {
            "name": "Tee",
            "sku": "TEE-1",
            "attribute_set": tshirt.pk,
            "custom_attribute_set": extra.pk,
            "attributes": {"SIZE": "S"},
        },
    )
    complete = create(
        operator_client,
        {
            "name": "Tee",
            "sku": "TEE-1",
            "attribute_set": tshirt.pk,
            "custom_attribute_set": extra.pk,
            "attributes": {"SIZE": "S", "CO2": "2 kg"},
        },
    )

    assert missing.status_code == 400
    assert missing.json() == {"attributes": {"CO2": ["This field is required."]}}
    assert complete.status_code == 201
    assert complete.json()["custom_attribute_set"] == extra.pk


def test_an_attribute_required_everywhere_is_required_in_every_set(operator_client, tshirt):
    AttributeConfigFactory(
        attribute_set=tshirt, attribute=AttributeFactory(key="BARCODE", is_required=True)
    )

    response = create(
        operator_client,
        {"name": "Tee", "sku": "TEE-1", "attribute_set": tshirt.pk, "attributes": {"SIZE": "S"}},
    )

    assert response.status_code == 400
    assert response.json() == {"attributes": {"BARCODE": ["This field is required."]}}


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"name": ["This field is required."], "sku": ["This field is required."]}),
        (
            {"name": "A", "sku": "A", "product_type": "9"},
            {"product_type": ['"9" is not a valid choice.']},
        ),
        (
            {"name": "A", "sku": "A", "product_type": "5"},
            {
                "product_type": [
                    '"5" (pre_product) is a pre-product type: pre-products are written through '
                    "the pre_products API."
                ]
            },
        ),
        ({"name": "A", "sku": "A", "attributes": ["x"]}, {"attributes": ["Expected an object."]}),
        (
            {"name": "A", "sku": "A", "tax_rate": "lots"},
            {"tax_rate": ["A valid number is required."]},
        ),
        (
            {"name": "A", "sku": "A", "attribute_set": 999},
            {"attribute_set": ['Invalid pk "999" - object does not exist.']},
        ),
        (
            {"name": "A", "sku": "A", "group_products": [999]},
            {"group_products": ['Invalid pk "999" - object does not exist.']},
        ),
    ],
)
def test_an_invalid_product_is_a_400_naming_each_field(operator_client, body, errors):
    response = create(operator_client, body)

    assert response.status_code == 400
    assert response.json() == errors
    assert not Product.objects.exists()


# --- variants and groups ------------------------------------------------------------------


def test_variants_point_at_their_product_meta_parent(operator_client):
    meta = services.product_create(sku="TS", name="T-shirt", product_type="1")
    simple = services.product_create(sku="OTHER", name="Other")

    variants = [
        create(operator_client, {"name": f"T-shirt {s}", "sku": f"TS-{s}", "parent": meta.pk})
        for s in ("S", "M")
    ]
    not_a_meta = create(operator_client, {"name": "X", "sku": "X", "parent": simple.pk})
    listed = operator_client.get(V1, {"parent": meta.pk})

    assert [response.status_code for response in variants] == [201, 201]
    assert [item["sku"] for item in listed.json()["results"]] == ["TS-S", "TS-M"]
    assert not_a_meta.status_code == 400
    assert not_a_meta.json() == {
        "parent": [
            f"The parent of a variant is a product_meta product; product {simple.pk} is not one."
        ]
    }


def test_a_product_is_not_its_own_parent(operator_client):
    meta = services.product_create(sku="TS", name="T-shirt", product_type="1")

    response = operator_client.patch(f"{V1}{meta.pk}/", {"parent": meta.pk}, format="json")

    assert response.status_code == 400
    assert response.json() == {"parent": ["A product cannot be its own parent."]}


def test_only_grouped_and_bundle_products_hold_group_products(operator_client):
    one = services.product_create(sku="ONE", name="One")
    two = services.product_create(sku="TWO", name="Two")

    grouped = create(
        operator_client,
        {"name": "Set", "sku": "SET", "product_type": "3", "group_products": [one.pk, two.pk]},
    )
    simple = create(operator_client, {"name": "S", "sku": "S", "group_products": [one.pk]})

    assert grouped.status_code == 201
    assert grouped.json()["group_products"] == [one.pk, two.pk]
    assert simple.status_code == 400
    assert simple.json() == {
        "group_products": ["Only grouped and bundle products hold group products."]
    }
    assert operator_client.get(V1, {"group_products": two.pk}).json()["count"] == 1


# --- change -------------------------------------------------------------------------------


def test_patch_changes_what_it_names_and_always_bumps_modified_date(operator_client, tshirt):
    product = services.product_create(
        sku="TEE-1", name="Tee", attribute_set=tshirt, attributes={"SIZE": "S"}
    )
    Product.objects.filter(pk=product.pk).update(updated_at=timezone.now() - timedelta(days=1))
    before = Product.objects.get(pk=product.pk).updated_at

    renamed = operator_client.patch(f"{V1}{product.pk}/", {"name": "Cotton Tee"}, format="json")
    after_rename = product_body(product)
    same = operator_client.patch(f"{V1}{product.pk}/", {"name": "Cotton Tee"}, format="json")

    assert renamed.status_code == 200
    assert renamed.json() == after_rename
    assert product.name == "Cotton Tee"
    assert product.attributes == {"SIZE": "S"}
    assert product.updated_at > before
    assert same.status_code == 200
    assert same.json()["modified_date"] > renamed.json()["modified_date"]


def test_patch_checks_attributes_again_and_writes_nothing_on_error(operator_client, tshirt):
    product = services.product_create(
        sku="TEE-1", name="Tee", attribute_set=tshirt, attributes={"SIZE": "S"}
    )
    url = f"{V1}{product.pk}/"

    bad = operator_client.patch(
        url, {"name": "Changed", "attributes": {"COLOR": "Red"}}, format="json"
    )
    good = operator_client.patch(url, {"attributes": {"SIZE": "M", "COLOR": "blue"}}, format="json")

    assert bad.status_code == 400
    assert bad.json() == {"attributes": {"SIZE": ["This field is required."]}}
    assert good.status_code == 200
    assert good.json()["name"] == "Tee"
    assert good.json()["attributes"] == {"SIZE": "M", "COLOR": "BL"}


def test_patch_checks_the_sku_and_a_sellers_product_keeps_its_own(operator_client):
    services.product_create(sku="TAKEN", name="Taken")
    own = services.product_create(sku="MINE", name="Mine")
    sellers = ProductFactory(sku="SELLER-1", live=True)

    clash = operator_client.patch(f"{V1}{own.pk}/", {"sku": "TAKEN"}, format="json")
    renamed = operator_client.patch(f"{V1}{sellers.pk}/", {"name": "Better name"}, format="json")
    resku = operator_client.patch(f"{V1}{sellers.pk}/", {"sku": "OTHER"}, format="json")

    assert clash.status_code == 400
    assert clash.json() == {"sku": ['A product with the SKU "TAKEN" already exists.']}
    assert renamed.status_code == 200
    assert renamed.json()["is_seller_product"] is True
    assert renamed.json()["data_source"] == str(sellers.seller_id)
    assert resku.status_code == 400
    assert resku.json() == {"sku": ["The SKU of a seller's product is the seller's to choose."]}


def test_put_and_delete_are_not_offered(operator_client):
    product = services.product_create(sku="A", name="A")

    put = operator_client.put(f"{V1}{product.pk}/", {"name": "B", "sku": "A"}, format="json")
    delete = operator_client.delete(f"{V1}{product.pk}/")

    assert (put.status_code, delete.status_code) == (405, 405)


def test_products_waiting_for_approval_are_not_products_yet(operator_client):
    waiting = ProductFactory(sku="NEW-1")  # a seller's new product
    pre = services.pre_product_create(sku="PRE-1", name="Raw")
    live = ProductFactory(sku="LIVE-1", live=True)

    listed = operator_client.get(V1)

    assert [item["sku"] for item in listed.json()["results"]] == ["LIVE-1"]
    for product in (waiting, pre):
        assert operator_client.get(f"{V1}{product.pk}/").status_code == 404
    assert operator_client.get(f"{V1}{live.pk}/").status_code == 200


def test_operator_products_are_kept_in_the_catalog_search(operator_client):
    created = create(operator_client, {"name": "Kırmızı Tişört", "sku": "TS-1"}, url=V1).json()

    found = list(catalog_search(query="kirmizi"))
    operator_client.patch(f"{V1}{created['pk']}/", {"is_active": False}, format="json")
    hidden = list(catalog_search(query="kirmizi"))

    assert [product.pk for product in found] == [created["pk"]]
    assert hidden == []


def test_decimals_are_strings_and_accept_numbers(operator_client):
    response = create(
        operator_client, {"name": "A", "sku": "A", "tax_rate": 8.5, "weight": 1}, url=V1
    )

    assert response.status_code == 201
    assert (response.json()["tax_rate"], response.json()["weight"]) == ("8.50", "1.000")
    assert Product.objects.get().tax_rate == Decimal("8.50")


def test_changing_a_product_needs_change_product():
    product = services.product_create(sku="A", name="A")
    url = f"{V1}{product.pk}/"
    viewer = client_for(staff_with_perms("catalog.view_product"))
    changer = client_for(staff_with_perms("catalog.view_product", "catalog.change_product"))

    assert viewer.get(url).status_code == 200
    assert viewer.patch(url, {"name": "B"}, format="json").status_code == 403
    assert changer.patch(url, {"name": "B"}, format="json").status_code == 200


def test_a_page_of_products_takes_the_same_few_queries_however_many_it_holds(
    operator_client, django_assert_max_num_queries
):
    parts = [services.product_create(sku=f"PART-{n}", name="Part") for n in range(3)]
    for number in range(8):
        services.product_create(
            sku=f"SET-{number}", name="Set", product_type="3", group_products=parts
        )

    with django_assert_max_num_queries(6):  # token, user, count, page, group products
        response = operator_client.get(V1, {"limit": 100})

    assert response.json()["count"] == 11
    assert response.json()["results"][-1]["group_products"] == [part.pk for part in parts]


@pytest.mark.parametrize(
    ("listing_code", "status"),
    [("L" * 255 + "\v", 400), (" " + "L" * 255, 400), ("  " + "L" * 250 + "  ", 201)],
)
def test_a_text_is_measured_as_sent_against_its_max_length(operator_client, listing_code, status):
    response = create(
        operator_client, {"name": "Code", "sku": "CODE-1", "listing_code": listing_code}
    )

    assert response.status_code == status, response.json()
    if status == 400:
        assert list(response.json()) == ["listing_code"]
        assert not Product.objects.filter(sku="CODE-1").exists()
    else:
        assert Product.objects.get(sku="CODE-1").listing_code == "L" * 250
