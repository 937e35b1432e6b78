"""Omnitron: attributes, attribute values, category nodes and category attributes (§5, §9)."""

import pytest
from django.contrib.contenttypes.models import ContentType

from pazar.catalog.models import Attribute, AttributeValue, Category, CategoryAttribute, Product
from tests.factories import (
    AttributeFactory,
    AttributeValueFactory,
    CategoryAttributeFactory,
    CategoryFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db

ATTRIBUTES = "/omnitron/api/v1/attributes/"
VALUES = "/omnitron/api/v1/attribute_value/"
NODES = "/omnitron/api/v1/category_nodes/"
LINKS = "/omnitron/api/v1/category_attributes/"
NOT_FOUND = {"detail": "Not found.", "code": "not_found"}


def iso(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def attribute_body(attribute: Attribute) -> dict:
    attribute.refresh_from_db()
    return {
        "pk": attribute.pk,
        "id": attribute.pk,
        "uuid": str(attribute.uuid),
        "key": attribute.key,
        "name": attribute.name,
        "description": attribute.description,
        "data_type": attribute.data_type,
        "default_value": attribute.default_value,
        "entity_type": {
            "id": ContentType.objects.get_for_model(Product).pk,
            "app_label": "catalog",
            "model": "product",
        },
        "erp_code": attribute.erp_code,
        "pre_attribute": attribute.pre_attribute,
        "is_required": attribute.is_required,
        "is_localizable": attribute.is_localizable,
        "translations": attribute.translations,
        "created_date": iso(attribute.created_at),
        "modified_date": iso(attribute.updated_at),
    }


def keys(response) -> list[str]:
    return [item["key"] for item in response.json()["results"]]


# --- attributes ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", [ATTRIBUTES, "/omnitron/api/i1/attributes/"])
def test_an_attribute_is_created_with_an_upper_case_key(operator_client, url):
    response = operator_client.post(
        url,
        {
            "key": "color",
            "name": "Color",
            "data_type": "dropdown",
            "default_value": "RD",
            "translations": {"tr-tr": {"name": "Renk"}},
        },
        format="json",
    )

    assert response.status_code == 201
    attribute = Attribute.objects.get()
    assert attribute.key == "COLOR"
    assert response.json() == attribute_body(attribute)
    assert response.json()["translations"] == {"tr-tr": {"name": "Renk"}}
    assert response.json()["default_value"] == "RD"


def test_attributes_are_listed_by_pk_on_both_paths(operator_client):
    first, second = AttributeFactory(key="SIZE"), AttributeFactory(key="COLOR")

    v1 = operator_client.get(ATTRIBUTES)
    i1 = operator_client.get("/omnitron/api/i1/attributes/")

    assert v1.status_code == 200
    assert v1.json() == {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [attribute_body(first), attribute_body(second)],
    }
    assert i1.json() == v1.json()


def test_an_attribute_key_is_unique_whatever_its_case(operator_client):
    AttributeFactory(key="COLOR")

    response = operator_client.post(ATTRIBUTES, {"key": "Color", "name": "Colour"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"key": ['An attribute with the key "COLOR" already exists.']}


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"key": ["This field is required."], "name": ["This field is required."]}),
        (
            {"key": "COLOR", "name": "Color", "data_type": "colour"},
            {"data_type": ['"colour" is not a valid choice.']},
        ),
        (
            {"key": "COLOR", "name": "Color", "translations": {"tr-tr": "Renk"}},
            {"translations": ['Expected an object of languages such as {"tr-tr": {"name": "…"}}.']},
        ),
        (
            {"key": "COLOR", "name": "Color", "translations": ["Renk"]},
            {"translations": ['Expected an object of languages such as {"tr-tr": {"name": "…"}}.']},
        ),
        ({"key": "", "name": "Color"}, {"key": ["This field may not be blank."]}),
    ],
)
def test_an_invalid_attribute_is_a_400_naming_each_field(operator_client, body, errors):
    response = operator_client.post(ATTRIBUTES, body, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert not Attribute.objects.exists()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"key": "COLOR"}, ["COLOR"]),
        ({"key__exact": "COLOR"}, ["COLOR"]),
        ({"key__iexact": "color"}, ["COLOR"]),
        ({"key__startswith": "SHOE"}, ["SHOE_SIZE"]),
        ({"key__in": "COLOR,SIZE"}, ["COLOR", "SIZE"]),
        ({"name__contains": "Size"}, ["SIZE", "SHOE_SIZE"]),
        ({"name__contains": "size"}, []),
        ({"name__icontains": "size"}, ["SIZE", "SHOE_SIZE"]),
        ({"data_type": "dropdown"}, ["COLOR", "SIZE"]),
        ({"data_type__in": "text,number"}, ["SHOE_SIZE"]),
        ({"is_localizable": "true"}, ["SHOE_SIZE"]),
    ],
)
def test_attributes_filter_by_key_name_and_data_type(operator_client, params, expected):
    AttributeFactory(key="COLOR", name="Color", data_type="dropdown")
    AttributeFactory(key="SIZE", name="Size", data_type="dropdown")
    AttributeFactory(key="SHOE_SIZE", name="Shoe Size", data_type="number", is_localizable=True)

    response = operator_client.get(ATTRIBUTES, params)

    assert response.status_code == 200
    assert keys(response) == expected


def test_attributes_filter_by_pk_and_created_date(operator_client):
    old, new = AttributeFactory(key="OLD"), AttributeFactory(key="NEW")
    Attribute.objects.filter(pk=old.pk).update(created_at="2024-01-01T00:00:00Z")

    by_pk = operator_client.get(ATTRIBUTES, {"pk__in": f"{new.pk},0"})
    by_date = operator_client.get(ATTRIBUTES, {"created_date__gte": "2025-01-01T00:00:00Z"})
    bad = operator_client.get(ATTRIBUTES, {"created_date__gte": "soon"})

    assert keys(by_pk) == ["NEW"]
    assert keys(by_date) == ["NEW"]
    assert bad.status_code == 400
    assert bad.json() == {"created_date__gte": ["Enter a valid date/time."]}


def test_put_replaces_an_attribute_and_patch_changes_one_field(operator_client):
    attribute = AttributeFactory(key="COLOR", name="Color", is_localizable=True)
    url = f"{ATTRIBUTES}{attribute.pk}/"

    put = operator_client.put(
        url, {"key": "colour", "name": "Colour", "data_type": "dropdown"}, format="json"
    )
    patch = operator_client.patch(url, {"name": "Shade"}, format="json")

    assert put.status_code == 200
    assert put.json()["key"] == "COLOUR"
    assert patch.status_code == 200
    assert patch.json() == attribute_body(attribute)
    assert (attribute.key, attribute.name, attribute.data_type) == ("COLOUR", "Shade", "dropdown")


def test_renaming_an_attribute_to_a_taken_key_is_a_400(operator_client):
    AttributeFactory(key="COLOR")
    size = AttributeFactory(key="SIZE")

    response = operator_client.patch(f"{ATTRIBUTES}{size.pk}/", {"key": "color"}, format="json")
    same = operator_client.patch(f"{ATTRIBUTES}{size.pk}/", {"key": "size"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"key": ['An attribute with the key "COLOR" already exists.']}
    assert same.status_code == 200


def test_deleting_an_attribute_deletes_its_values_and_category_links(operator_client):
    value = AttributeValueFactory()
    CategoryAttributeFactory(attribute=value.attribute)

    response = operator_client.delete(f"{ATTRIBUTES}{value.attribute.pk}/")

    assert response.status_code == 204
    assert response.content == b""
    assert not Attribute.objects.exists()
    assert not AttributeValue.objects.exists()
    assert not CategoryAttribute.objects.exists()


def test_an_unknown_attribute_is_a_404(operator_client):
    response = operator_client.get(f"{ATTRIBUTES}999/")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_an_attribute_carries_omnitrons_description_codes_and_flags(operator_client):
    response = operator_client.post(
        "/omnitron/api/i1/attributes/",
        {
            "key": "erp_color",
            "name": "ERP color",
            "description": "The color as the ERP names it",
            "data_type": "text",
            "erp_code": "CLR-01",
            "pre_attribute": True,
            "is_required": True,
        },
        format="json",
    )

    assert response.status_code == 201
    attribute = Attribute.objects.get()
    assert response.json() == attribute_body(attribute)
    assert (attribute.description, attribute.erp_code) == (
        "The color as the ERP names it",
        "CLR-01",
    )
    assert (attribute.pre_attribute, attribute.is_required) == (True, True)
    assert response.json()["entity_type"]["model"] == "product"


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("text_area", "text_area"),
        ("textarea", "text_area"),
        ("multiple", "multiple"),
        ("multiselect", "multiple"),
        ("email", "email"),
        ("datetime", "datetime"),
        ("price", "price"),
        ("nested_object", "nested_object"),
        ("number", "number"),
    ],
)
def test_omnitron_data_types_and_the_seller_centers_names_are_accepted(
    operator_client, sent, stored
):
    response = operator_client.post(
        ATTRIBUTES, {"key": "X", "name": "X", "data_type": sent}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["data_type"] == stored
    assert Attribute.objects.get().data_type == stored


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"erp_code": "CLR"}, ["COLOR"]),
        ({"erp_code__icontains": "clr"}, ["COLOR"]),
        ({"pre_attribute": "true"}, ["RAW_COLOR"]),
        ({"is_required": "true"}, ["COLOR"]),
    ],
)
def test_attributes_filter_by_erp_code_and_flags(operator_client, params, expected):
    AttributeFactory(key="COLOR", erp_code="CLR", is_required=True)
    AttributeFactory(key="RAW_COLOR", erp_code="RAW", pre_attribute=True)

    response = operator_client.get(ATTRIBUTES, params)

    assert keys(response) == expected


# --- attribute values ---------------------------------------------------------------------


def value_body(value: AttributeValue) -> dict:
    value.refresh_from_db()
    return {
        "pk": value.pk,
        "id": value.pk,
        "uuid": str(value.uuid),
        "attribute": {
            "pk": value.attribute.pk,
            "key": value.attribute.key,
            "name": value.attribute.name,
        },
        "label": value.label,
        "value": value.value,
        "order": value.order,
        "erp_code": value.erp_code,
        "translations": value.translations,
        "created_date": iso(value.created_at),
        "modified_date": iso(value.updated_at),
    }


def test_an_attribute_value_is_written_with_the_attribute_pk_and_read_with_the_attribute(
    operator_client,
):
    color = AttributeFactory(key="COLOR", name="Color", data_type="dropdown")

    response = operator_client.post(
        VALUES,
        {
            "attribute": color.pk,
            "label": "Red",
            "value": "RD",
            "order": 2,
            "translations": {"tr-tr": {"label": "Kırmızı"}},
        },
        format="json",
    )

    assert response.status_code == 201
    value = AttributeValue.objects.get()
    assert response.json() == value_body(value)
    assert response.json()["attribute"] == {"pk": color.pk, "key": "COLOR", "name": "Color"}


def test_a_value_is_unique_per_attribute(operator_client):
    red = AttributeValueFactory(attribute=AttributeFactory(key="COLOR"), value="R")
    other = AttributeFactory(key="SIZE")

    clash = operator_client.post(
        VALUES, {"attribute": red.attribute.pk, "label": "Rouge", "value": "R"}, format="json"
    )
    elsewhere = operator_client.post(
        VALUES, {"attribute": other.pk, "label": "R", "value": "R"}, format="json"
    )

    assert clash.status_code == 400
    assert clash.json() == {"value": ['The attribute "COLOR" already has the value "R".']}
    assert elsewhere.status_code == 201


def test_changing_a_value_into_a_taken_one_is_a_400(operator_client):
    color = AttributeFactory(key="COLOR")
    AttributeValueFactory(attribute=color, value="R")
    blue = AttributeValueFactory(attribute=color, value="B", label="Blue")

    clash = operator_client.patch(f"{VALUES}{blue.pk}/", {"value": "R"}, format="json")
    relabel = operator_client.patch(f"{VALUES}{blue.pk}/", {"label": "Navy"}, format="json")

    assert clash.status_code == 400
    assert clash.json() == {"value": ['The attribute "COLOR" already has the value "R".']}
    assert relabel.status_code == 200
    assert relabel.json() == value_body(blue)
    assert blue.label == "Navy"


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {},
            {
                "attribute": ["This field is required."],
                "label": ["This field is required."],
                "value": ["This field is required."],
            },
        ),
        (
            {"attribute": 999, "label": "Red", "value": "R"},
            {"attribute": ['Invalid pk "999" - object does not exist.']},
        ),
        (
            {"attribute": None, "label": "Red", "value": "R"},
            {"attribute": ["This field may not be null."]},
        ),
    ],
)
def test_an_invalid_attribute_value_is_a_400(operator_client, body, errors):
    response = operator_client.post(VALUES, body, format="json")

    assert response.status_code == 400
    assert response.json() == errors


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"value": "Re"}, ["Red", "Dark Red"]),
        ({"value": "re"}, []),
        ({"value__exact": "Red"}, ["Red"]),
        ({"value__iexact": "red"}, ["Red"]),
        ({"label": "Kırmızı"}, ["Red"]),
        ({"label__icontains": "blue"}, ["Blue"]),
    ],
)
def test_attribute_values_filter_like_omnitron(operator_client, params, expected):
    color = AttributeFactory(key="COLOR")
    AttributeValueFactory(attribute=color, label="Kırmızı", value="Red", order=0)
    AttributeValueFactory(attribute=color, label="Koyu Kırmızı", value="Dark Red", order=1)
    AttributeValueFactory(attribute=color, label="Blue", value="Blue", order=2)

    response = operator_client.get(VALUES, params)

    assert response.status_code == 200
    assert [item["value"] for item in response.json()["results"]] == expected


def test_attribute_values_filter_by_attribute(operator_client):
    color, size = AttributeFactory(key="COLOR"), AttributeFactory(key="SIZE")
    red = AttributeValueFactory(attribute=color, value="R")
    small = AttributeValueFactory(attribute=size, value="S")

    by_pk = operator_client.get(VALUES, {"attribute": size.pk})
    by_key = operator_client.get(VALUES, {"attribute__key": "COLOR"})
    both = operator_client.get(VALUES, {"attribute__in": f"{color.pk},{size.pk}"})

    assert [item["pk"] for item in by_pk.json()["results"]] == [small.pk]
    assert [item["pk"] for item in by_key.json()["results"]] == [red.pk]
    assert both.json()["count"] == 2


def test_attribute_values_are_created_and_listed_on_the_i1_path_too(operator_client):
    color = AttributeFactory(key="COLOR", data_type="dropdown")

    created = operator_client.post(
        "/omnitron/api/i1/attribute_value/",
        {"attribute": color.pk, "label": "Red", "value": "RD", "erp_code": "001"},
        format="json",
    )
    listed = operator_client.get("/omnitron/api/i1/attribute_value/")

    assert created.status_code == 201
    value = AttributeValue.objects.get()
    assert created.json() == value_body(value)
    assert value.erp_code == "001"
    assert listed.json()["results"] == [value_body(value)]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"erp_code": "01"}, ["R", "B"]),
        ({"erp_code": "001"}, ["R"]),
        ({"erp_code__exact": "01"}, []),
        ({"erp_code__exact": "0102"}, ["B"]),
        ({"pk__in": "PKS"}, ["R"]),
    ],
)
def test_attribute_values_filter_by_erp_code_and_pk(operator_client, params, expected):
    color = AttributeFactory(key="COLOR")
    red = AttributeValueFactory(attribute=color, value="R", erp_code="001", order=0)
    AttributeValueFactory(attribute=color, value="B", erp_code="0102", order=1)
    params = {name: f"{red.pk},0" if value == "PKS" else value for name, value in params.items()}

    response = operator_client.get(VALUES, params)

    assert [item["value"] for item in response.json()["results"]] == expected


def test_deleting_an_attribute_value(operator_client):
    value = AttributeValueFactory()

    response = operator_client.delete(f"{VALUES}{value.pk}/")

    assert response.status_code == 204
    assert not AttributeValue.objects.exists()


# --- category nodes -----------------------------------------------------------------------


def node_body(category: Category) -> dict:
    category.refresh_from_db()
    return {
        "pk": category.pk,
        "id": category.pk,
        "uuid": str(category.uuid),
        "name": category.name,
        "code": category.code,
        "parent": category.parent_id,
        "order": category.order,
        "translations": category.translations,
        "created_date": iso(category.created_at),
        "modified_date": iso(category.updated_at),
    }


def test_category_nodes_are_created_under_a_parent(operator_client):
    root = operator_client.post(NODES, {"name": "Men", "code": "men"}, format="json")

    child = operator_client.post(
        NODES,
        {
            "name": "T-Shirts",
            "code": "men-t-shirts",
            "parent": root.json()["pk"],
            "order": 3,
            "translations": {"tr-tr": {"name": "Tişörtler"}},
        },
        format="json",
    )

    assert root.status_code == 201
    assert child.status_code == 201
    men, tshirts = Category.objects.order_by("pk")
    assert root.json() == node_body(men)
    assert child.json() == node_body(tshirts)
    assert tshirts.parent == men


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"name": ["This field is required."], "code": ["This field is required."]}),
        (
            {"name": "Men", "code": "Men & Boys"},
            {
                "code": [
                    'Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.'
                ]
            },
        ),
        (
            {"name": "Men", "code": "men", "parent": 999},
            {"parent": ['Invalid pk "999" - object does not exist.']},
        ),
        (
            {"name": "Men", "code": "existing"},
            {"code": ['A category with the code "existing" already exists.']},
        ),
    ],
)
def test_an_invalid_category_node_is_a_400(operator_client, body, errors):
    CategoryFactory(code="existing")

    response = operator_client.post(NODES, body, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert Category.objects.count() == 1


def test_a_category_is_moved_and_renamed_with_patch(operator_client):
    men, women = CategoryFactory(name="Men"), CategoryFactory(name="Women")
    shoes = CategoryFactory(name="Shoes", parent=men)

    response = operator_client.patch(
        f"{NODES}{shoes.pk}/", {"parent": women.pk, "name": "Footwear"}, format="json"
    )
    to_root = operator_client.patch(f"{NODES}{shoes.pk}/", {"parent": None}, format="json")

    assert response.status_code == 200
    assert response.json()["parent"] == women.pk
    assert response.json()["name"] == "Footwear"
    assert to_root.status_code == 200
    assert to_root.json() == node_body(shoes)
    assert shoes.parent is None


@pytest.mark.parametrize("target", ["itself", "grandchild"])
def test_a_category_cannot_be_moved_under_itself_or_its_descendants(operator_client, target):
    men = CategoryFactory(name="Men")
    shoes = CategoryFactory(name="Shoes", parent=men)
    sneakers = CategoryFactory(name="Sneakers", parent=shoes)
    parent = men if target == "itself" else sneakers

    response = operator_client.patch(f"{NODES}{men.pk}/", {"parent": parent.pk}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "parent": ["A category cannot be placed under itself or one of its subcategories."]
    }
    men.refresh_from_db()
    assert men.parent is None


def test_changing_a_category_code_to_a_taken_one_is_a_400(operator_client):
    CategoryFactory(code="men")
    women = CategoryFactory(code="women")

    response = operator_client.put(
        f"{NODES}{women.pk}/", {"name": "Women", "code": "men"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"code": ['A category with the code "men" already exists.']}


@pytest.mark.parametrize(
    ("children", "products", "held"),
    [
        (1, 0, "1 subcategory"),
        (2, 0, "2 subcategories"),
        (0, 1, "1 product"),
        (1, 3, "1 subcategory and 3 products"),
    ],
)
def test_a_category_with_subcategories_or_products_cannot_be_deleted(
    operator_client, children, products, held
):
    men = CategoryFactory(name="Men")
    CategoryFactory.create_batch(children, parent=men)
    ProductFactory.create_batch(products, category=men)

    response = operator_client.delete(f"{NODES}{men.pk}/")

    assert response.status_code == 400
    assert response.json() == {
        "detail": f'The category "Men" has {held}; move or delete them before deleting it.',
        "code": "category_in_use",
    }
    assert Category.objects.filter(pk=men.pk).exists()


def test_an_empty_category_is_deleted_with_its_attribute_links(operator_client):
    link = CategoryAttributeFactory()

    response = operator_client.delete(f"{NODES}{link.category.pk}/")

    assert response.status_code == 204
    assert not Category.objects.exists()
    assert not CategoryAttribute.objects.exists()


def test_category_nodes_filter_by_parent_name_and_code(operator_client):
    men = CategoryFactory(name="Men", code="men")
    women = CategoryFactory(name="Women", code="women")
    shoes = CategoryFactory(name="Men's Shoes", code="men-shoes", parent=men)

    def names(params):
        return [item["name"] for item in operator_client.get(NODES, params).json()["results"]]

    assert names({"parent__isnull": "true"}) == ["Men", "Women"]
    assert names({"parent": men.pk}) == ["Men's Shoes"]
    assert names({"parent__in": f"{men.pk},{women.pk}"}) == ["Men's Shoes"]
    assert names({"name__icontains": "men"}) == ["Men", "Women", "Men's Shoes"]
    assert names({"code__startswith": "men"}) == ["Men", "Men's Shoes"]
    assert names({"code__exact": "women"}) == ["Women"]
    assert names({"pk": shoes.pk}) == ["Men's Shoes"]


# --- category attributes ------------------------------------------------------------------


def link_body(link: CategoryAttribute) -> dict:
    link.refresh_from_db()
    return {
        "pk": link.pk,
        "id": link.pk,
        "category": link.category_id,
        "attribute": link.attribute_id,
        "is_required": link.is_required,
        "is_variant": link.is_variant,
        "is_offer": link.is_offer,
        "order": link.order,
    }


def test_an_attribute_is_attached_to_a_category(operator_client):
    tshirts, color = CategoryFactory(), AttributeFactory()

    response = operator_client.post(
        LINKS,
        {"category": tshirts.pk, "attribute": color.pk, "is_required": True, "is_variant": True},
        format="json",
    )

    assert response.status_code == 201
    link = CategoryAttribute.objects.get()
    assert response.json() == link_body(link)
    assert (link.is_required, link.is_variant, link.is_offer, link.order) == (True, True, False, 0)


def test_an_attribute_is_attached_to_a_category_once(operator_client):
    link = CategoryAttributeFactory(
        category=CategoryFactory(name="T-Shirts"), attribute=AttributeFactory(key="COLOR")
    )

    response = operator_client.post(
        LINKS, {"category": link.category.pk, "attribute": link.attribute.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "attribute": ['The category "T-Shirts" already has the attribute "COLOR".']
    }


def test_a_category_attribute_is_changed_and_detached(operator_client):
    link = CategoryAttributeFactory()
    other = CategoryAttributeFactory(category=link.category)
    url = f"{LINKS}{link.pk}/"

    patch = operator_client.patch(url, {"is_offer": True, "order": 4}, format="json")
    clash = operator_client.patch(url, {"attribute": other.attribute.pk}, format="json")
    delete = operator_client.delete(url)

    assert patch.status_code == 200
    assert patch.json()["is_offer"] is True
    assert patch.json()["order"] == 4
    assert clash.status_code == 400
    assert delete.status_code == 204
    assert list(CategoryAttribute.objects.all()) == [other]


def test_category_attributes_filter_by_category_attribute_and_flags(operator_client):
    tshirts, shoes = CategoryFactory(), CategoryFactory()
    color = AttributeFactory()
    first = CategoryAttributeFactory(category=tshirts, attribute=color, is_variant=True)
    second = CategoryAttributeFactory(category=shoes, attribute=color, is_required=True)
    third = CategoryAttributeFactory(category=shoes, is_offer=True)

    def pks(params):
        return [item["pk"] for item in operator_client.get(LINKS, params).json()["results"]]

    assert pks({"category": shoes.pk}) == [second.pk, third.pk]
    assert pks({"attribute": color.pk}) == [first.pk, second.pk]
    assert pks({"is_variant": "true"}) == [first.pk]
    assert pks({"is_required": "true"}) == [second.pk]
    assert pks({"is_offer": "true"}) == [third.pk]
    assert pks({"category__in": f"{tshirts.pk},{shoes.pk}", "is_offer": "false"}) == [
        first.pk,
        second.pk,
    ]


def test_attributes_and_values_answer_in_the_accept_language(operator_client):
    from tests.factories import AttributeFactory, LanguageFactory

    LanguageFactory(code="en-us", name="English")
    LanguageFactory(code="tr-tr", name="Türkçe")
    color = AttributeFactory(key="COLOR", name="Colour", translations={"tr-tr": {"name": "Renk"}})
    red = AttributeValue.objects.create(
        attribute=color, label="Red", value="R", translations={"tr-tr": {"label": "Kırmızı"}}
    )
    turkish = {"HTTP_ACCEPT_LANGUAGE": "tr-tr"}

    detail = operator_client.get(f"{ATTRIBUTES}{color.pk}/", **turkish).json()
    listed = operator_client.get(ATTRIBUTES, **turkish).json()["results"]
    value = operator_client.get(f"{VALUES}{red.pk}/", **turkish).json()
    values = operator_client.get(VALUES, **turkish).json()["results"]
    english = operator_client.get(f"{ATTRIBUTES}{color.pk}/").json()

    assert (detail["name"], listed[0]["name"]) == ("Renk", "Renk")
    assert (value["label"], values[0]["label"]) == ("Kırmızı", "Kırmızı")
    assert english["name"] == "Colour"
    assert detail["translations"] == {"tr-tr": {"name": "Renk"}}  # the stored ones, as they are
