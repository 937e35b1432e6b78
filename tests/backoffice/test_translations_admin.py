"""Categories and attributes are translated in the admin one box per language, not in JSON."""

import pytest

from pazar.catalog.models import Attribute
from pazar.languages.models import Language
from tests.factories import (
    AttributeFactory,
    AttributeValueFactory,
    CategoryFactory,
    LanguageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def languages():
    LanguageFactory(code="en-us", name="English", is_default=True)
    LanguageFactory(code="tr-tr", name="Türkçe")
    LanguageFactory(code="de-de", name="Deutsch", is_active=False)


def management(prefix: str, total: int = 0, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_a_category_shows_a_box_per_active_language_filled_with_its_translation(superuser_client):
    category = CategoryFactory(translations={"tr-tr": {"name": "Tişörtler"}})

    response = superuser_client.get(f"/admin/catalog/category/{category.pk}/change/")

    form = response.context["adminform"].form
    assert response.status_code == 200
    assert "translations" not in form.fields
    assert [name for name in form.fields if name.startswith("translation__")] == [
        "translation__tr-tr__name"
    ]
    assert form["translation__tr-tr__name"].value() == "Tişörtler"
    assert b"name (tr-tr)" in response.content.lower()


def test_saving_a_category_rebuilds_its_translations_and_keeps_the_rest(superuser_client):
    category = CategoryFactory(
        name="T-Shirts",
        code="t-shirts",
        translations={"tr-tr": {"name": "Tişört", "slug": "tisort"}, "de-de": {"name": "T-Shirts"}},
    )

    response = superuser_client.post(
        f"/admin/catalog/category/{category.pk}/change/",
        {
            "name": "T-Shirts",
            "code": "t-shirts",
            "order": "0",
            "translation__tr-tr__name": " Tişörtler ",
            **management("attribute_links"),
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    category.refresh_from_db()
    assert category.translations == {
        "tr-tr": {"name": "Tişörtler", "slug": "tisort"},
        "de-de": {"name": "T-Shirts"},
    }


def test_an_emptied_box_removes_that_translation(superuser_client):
    category = CategoryFactory(code="c", translations={"tr-tr": {"name": "Eski"}})

    superuser_client.post(
        f"/admin/catalog/category/{category.pk}/change/",
        {"name": category.name, "code": "c", "order": "0", "translation__tr-tr__name": "",
         **management("attribute_links")},
    )  # fmt: skip

    category.refresh_from_db()
    assert category.translations == {}


def test_attribute_values_translate_their_labels_in_the_inline(superuser_client):
    attribute = AttributeFactory(key="COLOR", name="Color", data_type="dropdown")
    value = AttributeValueFactory(attribute=attribute, label="Red", value="R")

    response = superuser_client.post(
        f"/admin/catalog/attribute/{attribute.pk}/change/",
        {
            "key": "COLOR",
            "name": "Color",
            "description": "",
            "data_type": "dropdown",
            "erp_code": "",
            "translation__tr-tr__name": "Renk",
            **management("values", total=1, initial=1),
            "values-0-id": str(value.pk),
            "values-0-attribute": str(attribute.pk),
            "values-0-label": "Red",
            "values-0-value": "R",
            "values-0-order": "0",
            "values-0-erp_code": "",
            "values-0-translation__tr-tr__label": "Kırmızı",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Attribute.objects.get(pk=attribute.pk).translations == {"tr-tr": {"name": "Renk"}}
    value.refresh_from_db()
    assert value.translations == {"tr-tr": {"label": "Kırmızı"}}


def test_without_other_languages_there_is_nothing_to_translate(superuser_client):
    Language.objects.exclude(is_default=True).delete()

    response = superuser_client.get("/admin/catalog/category/add/")

    fields = response.context["adminform"].form.fields
    assert not [name for name in fields if name.startswith("translation__")]
