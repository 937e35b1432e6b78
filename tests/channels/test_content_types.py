"""`/api/v1/content_types/?model=…`: every model name Omnitron's clients use resolves (§9)."""

import pytest
from django.contrib.contenttypes.models import ContentType

from pazar.channels.content_types import OMNITRON_MODELS, placeholders_ensure

pytestmark = pytest.mark.django_db

URL = "/omnitron/api/v1/content_types/"
SPEC_NAMES = [
    "product", "productprice", "productstock", "productimage", "order", "orderitem",
    "batchrequest", "integrationaction", "categorytree", "categorynode", "channel",
    "productcategory", "marketplaceattributeset", "marketplaceattributesetconfig",
    "marketplaceattribute", "marketplaceattributeschema", "marketplaceattributevalue",
    "marketplaceattributevalueconfig", "cancellationrequest",
]  # fmt: skip


@pytest.mark.parametrize("name", SPEC_NAMES)
def test_each_model_name_of_the_spec_resolves_to_one_content_type(operator_client, name):
    response = operator_client.get(URL, {"model": name})

    assert response.status_code == 200
    [content_type] = response.json()["results"]
    stored = ContentType.objects.get(pk=content_type["id"])
    assert content_type == {"id": stored.pk, "app_label": stored.app_label, "model": name}


@pytest.mark.parametrize(
    ("name", "app_label"),
    [
        ("product", "catalog"),
        ("productprice", "pricing"),
        ("productstock", "inventory"),
        ("productimage", "images"),
        ("channel", "channels"),
        ("categorytree", "channels"),
        ("order", "orders"),
        ("orderitem", "orders"),
        ("categorynode", "omnitron"),
        # A channel's batch request, not the batches app's (a Seller Center upload).
        ("batchrequest", "channels"),
        ("integrationaction", "channels"),
        ("marketplaceattributeset", "channels"),
    ],
)
def test_names_resolve_to_our_models_else_to_placeholders(operator_client, name, app_label):
    response = operator_client.get(URL, {"model": name})

    assert [item["app_label"] for item in response.json()["results"]] == [app_label]


def test_placeholders_name_no_model_and_are_made_once():
    placeholders_ensure()
    placeholders_ensure()

    placeholder = ContentType.objects.get(app_label="omnitron", model="categorynode")
    assert placeholder.model_class() is None
    assert ContentType.objects.filter(model="categorynode").count() == 1
    assert set(SPEC_NAMES) <= set(OMNITRON_MODELS)


def test_content_types_filter_by_app_label_and_several_models(operator_client):
    by_app = operator_client.get(URL, {"app_label": "pricing", "limit": 100})
    several = operator_client.get(URL, {"model__in": "product,channel"})

    assert sorted(item["model"] for item in by_app.json()["results"]) == [
        "pricelist",
        "productprice",
    ]
    assert sorted(item["app_label"] for item in several.json()["results"]) == [
        "catalog",
        "channels",
    ]
