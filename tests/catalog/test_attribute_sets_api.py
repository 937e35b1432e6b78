"""Omnitron attribute sets with their nested attribute configs (omnitron.md §5)."""

import pytest
from django.core.exceptions import ValidationError

from pazar.catalog import services
from pazar.catalog.models import AttributeConfig, AttributeSet
from tests.factories import AttributeConfigFactory, AttributeFactory, AttributeSetFactory

pytestmark = pytest.mark.django_db

I1 = "/omnitron/api/i1/attribute_set/"
V1 = "/omnitron/api/v1/attribute_set/"


def iso(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def set_body(attribute_set: AttributeSet) -> dict:
    attribute_set.refresh_from_db()
    return {
        "pk": attribute_set.pk,
        "id": attribute_set.pk,
        "name": attribute_set.name,
        "attribute_set_type": attribute_set.attribute_set_type,
        "attributeconfig_set": [
            {
                "pk": config.pk,
                "id": config.pk,
                "attribute": config.attribute_id,
                "attribute_set": attribute_set.pk,
                "is_required": config.is_required,
                "is_variant": config.is_variant,
                "is_visible": config.is_visible,
                "order": config.order,
            }
            for config in attribute_set.attributeconfig_set.order_by("order", "pk")
        ],
        "created_date": iso(attribute_set.created_at),
        "modified_date": iso(attribute_set.updated_at),
    }


@pytest.mark.parametrize("url", [I1, V1])
def test_a_set_is_created_with_its_configs_as_the_spec_shows(operator_client, url):
    color, size = AttributeFactory(key="COLOR"), AttributeFactory(key="SIZE")

    response = operator_client.post(
        url,
        {
            "name": "T-Shirt",
            "attribute_set_type": "simple",
            "attributeconfig_set": [
                {"attribute": color.pk, "is_required": True, "is_variant": True},
                {"attribute": size.pk, "is_visible": False, "order": 1},
            ],
        },
        format="json",
    )

    assert response.status_code == 201
    attribute_set = AttributeSet.objects.get()
    assert response.json() == set_body(attribute_set)
    configs = response.json()["attributeconfig_set"]
    assert [
        (c["attribute"], c["is_required"], c["is_variant"], c["is_visible"]) for c in configs
    ] == [
        (color.pk, True, True, True),
        (size.pk, False, False, False),
    ]


def test_sets_are_listed_on_both_paths_and_filtered(operator_client):
    tshirt = AttributeSetFactory(name="T-Shirt")
    shoes = AttributeSetFactory(name="Shoes", attribute_set_type="grouped")
    config = AttributeConfigFactory(attribute_set=shoes)

    v1 = operator_client.get(V1)
    i1 = operator_client.get(I1)
    grouped = operator_client.get(V1, {"attribute_set_type": "grouped"})
    by_attribute = operator_client.get(V1, {"attribute": config.attribute_id})
    by_name = operator_client.get(V1, {"name__icontains": "shirt"})

    assert v1.json()["results"] == [set_body(tshirt), set_body(shoes)]
    assert i1.json() == v1.json()
    assert [item["pk"] for item in grouped.json()["results"]] == [shoes.pk]
    assert [item["pk"] for item in by_attribute.json()["results"]] == [shoes.pk]
    assert [item["pk"] for item in by_name.json()["results"]] == [tshirt.pk]


def test_sending_the_configs_replaces_them_and_keeps_the_pk_of_those_kept(operator_client):
    attribute_set = AttributeSetFactory(name="T-Shirt")
    kept = AttributeConfigFactory(attribute_set=attribute_set, is_required=False)
    dropped = AttributeConfigFactory(attribute_set=attribute_set)
    new = AttributeFactory(key="FIT")

    response = operator_client.patch(
        f"{V1}{attribute_set.pk}/",
        {
            "attributeconfig_set": [
                {"attribute": kept.attribute_id, "is_required": True},
                {"attribute": new.pk, "order": 2},
            ]
        },
        format="json",
    )

    assert response.status_code == 200
    assert response.json() == set_body(attribute_set)
    configs = {
        c.attribute_id: c for c in AttributeConfig.objects.filter(attribute_set=attribute_set)
    }
    assert set(configs) == {kept.attribute_id, new.pk}
    assert configs[kept.attribute_id].pk == kept.pk
    assert configs[kept.attribute_id].is_required is True
    assert not AttributeConfig.objects.filter(pk=dropped.pk).exists()


def test_leaving_the_configs_out_keeps_them(operator_client):
    config = AttributeConfigFactory()
    url = f"{V1}{config.attribute_set_id}/"

    patch = operator_client.patch(url, {"name": "Renamed"}, format="json")
    put = operator_client.put(
        url, {"name": "Again", "attribute_set_type": "grouped"}, format="json"
    )

    assert (patch.status_code, put.status_code) == (200, 200)
    assert [c["pk"] for c in put.json()["attributeconfig_set"]] == [config.pk]
    assert put.json()["attribute_set_type"] == "grouped"


def test_a_bad_config_writes_nothing(operator_client):
    attribute_set = AttributeSetFactory(name="T-Shirt")
    config = AttributeConfigFactory(attribute_set=attribute_set)
    color = AttributeFactory(key="COLOR")

    twice = operator_client.patch(
        f"{V1}{attribute_set.pk}/",
        {"name": "X", "attributeconfig_set": [{"attribute": color.pk}, {"attribute": color.pk}]},
        format="json",
    )
    unknown = operator_client.post(
        V1, {"name": "Y", "attributeconfig_set": [{"attribute": 999999}]}, format="json"
    )

    assert twice.status_code == 400
    assert twice.json() == {
        "attributeconfig_set": {
            "1": {"attribute": ['The attribute "COLOR" appears twice in the set.']}
        }
    }
    assert unknown.status_code == 400
    assert unknown.json() == {
        "attributeconfig_set": {
            "0": {"attribute": ['Invalid pk "999999" - object does not exist.']}
        }
    }
    assert list(AttributeSet.objects.values_list("name", flat=True)) == ["T-Shirt"]
    assert list(AttributeConfig.objects.values_list("pk", flat=True)) == [config.pk]


def test_the_service_refuses_a_duplicate_config_too():
    color = AttributeFactory(key="COLOR")

    with pytest.raises(ValidationError, match="appears twice"):
        services.attribute_set_create(
            name="T-Shirt", configs=[{"attribute": color}, {"attribute": color}]
        )

    assert not AttributeSet.objects.exists()


def test_a_set_in_use_cannot_be_deleted(operator_client):
    used, unused = AttributeSetFactory(name="Used"), AttributeConfigFactory().attribute_set
    services.product_create(sku="A", name="A", custom_attribute_set=used)

    refused = operator_client.delete(f"{V1}{used.pk}/")
    deleted = operator_client.delete(f"{V1}{unused.pk}/")

    assert refused.status_code == 400
    assert refused.json() == {
        "detail": 'The attribute set "Used" is used by 1 product; change their attribute set '
        "before deleting it.",
        "code": "attribute_set_in_use",
    }
    assert deleted.status_code == 204
    assert not AttributeConfig.objects.exists()


def test_deleting_an_attribute_deletes_its_configs(operator_client):
    config = AttributeConfigFactory()

    operator_client.delete(f"/omnitron/api/v1/attributes/{config.attribute_id}/")

    assert not AttributeConfig.objects.exists()
    assert AttributeSet.objects.filter(pk=config.attribute_set_id).exists()
