"""One attribute table, two dialects: Omnitron's data types and the Seller Center's names."""

import importlib

import pytest
from django.apps import apps

from pazar.catalog.models import Attribute, DataType
from pazar.catalog.selectors import category_rules
from pazar.catalog.services import attribute_upsert, category_attribute_set
from pazar.core.errors import FieldErrors
from pazar.marketplace import validation
from tests.factories import AttributeFactory, CategoryFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("pazar.catalog.migrations.0005_omnitron_catalog")


def test_the_migration_renames_the_seller_centers_two_names_and_back():
    textarea = AttributeFactory(key="NOTES")
    multiselect = AttributeFactory(key="TAGS")
    dropdown = AttributeFactory(key="COLOR", data_type="dropdown")
    Attribute.objects.filter(pk=textarea.pk).update(data_type="textarea")
    Attribute.objects.filter(pk=multiselect.pk).update(data_type="multiselect")

    migration.rename_data_types(apps, None)
    forward = dict(Attribute.objects.values_list("key", "data_type"))
    migration.restore_data_types(apps, None)
    backward = dict(Attribute.objects.values_list("key", "data_type"))

    assert forward == {"NOTES": "text_area", "TAGS": "multiple", "COLOR": "dropdown"}
    assert backward == {"NOTES": "textarea", "TAGS": "multiselect", "COLOR": "dropdown"}
    assert dropdown.data_type == "dropdown"


@pytest.mark.parametrize(
    ("data_type", "seller_center"),
    [
        (DataType.TEXT, "text"),
        (DataType.TEXT_AREA, "textarea"),
        (DataType.MULTIPLE, "multiselect"),
        (DataType.DROPDOWN, "dropdown"),
        (DataType.NUMBER, "number"),
        (DataType.PRICE, "number"),
        (DataType.BOOLEAN, "boolean"),
        (DataType.DATE, "date"),
        (DataType.DATETIME, "text"),
        (DataType.EMAIL, "text"),
        (DataType.NESTED_OBJECT, "text"),
    ],
)
def test_the_seller_center_reads_each_type_in_its_own_words(
    seller_client, operator_client, data_type, seller_center
):
    category = CategoryFactory()
    attribute = attribute_upsert(key="X", name="X", data_type=data_type)
    category_attribute_set(category=category, attribute=attribute)

    seller = seller_client.get(f"/seller-center/api/i2/categories/{category.uuid}/attributes/")
    omnitron = operator_client.get(f"/omnitron/api/v1/attributes/{attribute.pk}/")

    assert [item["data_type"] for item in seller.json()] == [seller_center]
    assert omnitron.json()["data_type"] == data_type


@pytest.mark.parametrize(
    ("attributes", "errors"),
    [
        ({"TAGS": "summer,sale", "CONTACT": "a@example.com", "NOTES": "x" * 10_000}, None),
        (
            {"TAGS": ["summer", "winter"]},
            {"TAGS": ['"winter" is not a valid choice. Valid choices: summer, sale.']},
        ),
        ({"CONTACT": "nobody"}, {"CONTACT": ["Enter a valid email address."]}),
        (
            {"NOTES": "x" * 10_001},
            {"NOTES": ["Ensure this field has no more than 10000 characters."]},
        ),
    ],
)
def test_seller_center_rows_are_checked_by_the_canonical_types(attributes, errors):
    category = CategoryFactory()
    tags = attribute_upsert(
        key="TAGS",
        name="Tags",
        data_type=DataType.MULTIPLE,
        values=[{"label": "summer", "value": "summer"}, {"label": "sale", "value": "sale"}],
    )
    for attribute in (
        tags,
        attribute_upsert(key="CONTACT", name="Contact", data_type=DataType.EMAIL),
        attribute_upsert(key="NOTES", name="Notes", data_type=DataType.TEXT_AREA),
    ):
        category_attribute_set(category=category, attribute=attribute)
    row_errors = FieldErrors()

    stored = validation.attributes(
        {"attributes": attributes}, category_rules([category])[category.pk], row_errors
    )

    assert dict(row_errors) == ({"attributes": errors} if errors else {})
    if errors is None:
        assert stored["TAGS"] == ["summer", "sale"]
