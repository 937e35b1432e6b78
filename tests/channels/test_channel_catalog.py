"""Category trees and nodes, product categories, mapped products and the channel attribute
family, as a connector sets them up (real-clients.md §4, §6)."""

import pytest

from pazar.catalog.models import Category
from tests.channels.factories import catalog_product

pytestmark = pytest.mark.django_db


def post(client, url, body):
    response = client.post(url, body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_category_tree_and_node_setup(operator_client, base, channel):
    tree = post(operator_client, f"{base}category_trees/", {"name": "Sales Channel Tree 1"})
    root = tree["category_root"]
    patched = operator_client.patch(
        f"/omnitron/api/v1/channels/{channel.pk}/", {"category_tree": tree["pk"]}
    )
    assert patched.status_code == 200

    node = post(operator_client, f"{base}category_nodes/", {"node": root["pk"], "name": "Shoes"})

    assert node["path"].startswith(root["path"]) and node["path"] != root["path"]
    assert {"pk", "modified_date"} <= set(node)
    read = operator_client.get(f"{base}category_trees/{tree['pk']}/").json()
    assert read["category_root"]["path"] == root["path"]
    detailed = operator_client.get(f"{base}category_nodes/{root['pk']}/detailed/").json()
    assert [(child["name"], child["pk"]) for child in detailed["children"]] == [
        ("Shoes", node["pk"])
    ]
    renamed = operator_client.patch(f"{base}category_nodes/{node['pk']}/", {"name": "Boots"})
    assert renamed.json()["name"] == "Boots"


def test_an_empty_patch_of_a_node_moves_its_modified_date(operator_client, base):
    tree = post(operator_client, f"{base}category_trees/", {"name": "T"})
    url = f"{base}category_nodes/{tree['category_root']['pk']}/"
    before = operator_client.get(url).json()["modified_date"]

    response = operator_client.patch(url, {}, format="json")

    assert response.status_code == 200
    assert response.json()["modified_date"] > before


def test_a_node_under_an_unknown_parent_is_a_400(operator_client, base):
    response = operator_client.post(f"{base}category_nodes/", {"node": 999999, "name": "x"})

    assert response.status_code == 400
    assert "node" in response.json()


def test_product_categories_detailed(operator_client, base, channel):
    product = catalog_product(channel.catalog)

    response = operator_client.get(
        f"{base}product_categories/detailed/", {"product": product.pk, "page": 1}
    )

    [item] = response.json()["results"]
    assert response.json()["next"] is None
    assert item["product"] == product.pk
    assert item["category"]["pk"] == product.category_id
    assert item["category"]["path"].endswith(f"{product.category_id:010d}")


def setup_attributes(client, base, channel, node_pk, *, required=False):
    attribute_set = post(client, f"{base}attribute_sets/",
                         {"name": "Shoes", "remote_id": "411", "channel": channel.pk})  # fmt: skip
    post(client, f"{base}attribute_set_configs/",
         {"attribute_set": attribute_set["id"], "object_id": node_pk, "content_type": "categorynode"})  # fmt: skip
    color = post(client, f"{base}attributes/", {"channel": channel.pk, "name": "Renk"})
    schema = post(client, f"{base}attribute_schemas/",
                  {"name": f"{channel.pk} Renk Schema", "schema": {"attribute": "color"}, "channel": channel.pk})  # fmt: skip
    post(client, f"{base}attribute_configs/", {
        "attribute_set": attribute_set["id"], "attribute": color["pk"], "attribute_remote_id": "47",
        "is_required": required, "is_variant": True, "is_custom": False,
        "is_image_attribute": False, "is_meta": False, "locale_attribute_schema": schema["pk"],
    })  # fmt: skip
    value = post(client, f"{base}attribute_values/",
                 {"channel": channel.pk, "attribute": color["pk"], "label": "Kırmızı", "value": "red"})  # fmt: skip
    post(client, f"{base}attribute_value_configs/",
         {"attribute_set": attribute_set["id"], "attribute_value": value["pk"]})  # fmt: skip
    return attribute_set, color


def test_mapped_product_through_the_attribute_family(operator_client, base, channel):
    product = catalog_product(channel.catalog, attributes={"color": "red"})
    attribute_set, color = setup_attributes(operator_client, base, channel, product.category_id)
    assert isinstance(attribute_set["id"], int)

    mapped = operator_client.get(f"{base}mapped_products/{product.pk}/").json()

    assert mapped["attribute_set_id"] == attribute_set["id"]
    assert (mapped["attribute_set_name"], mapped["attribute_set_remote_id"]) == ("Shoes", "411")
    assert mapped["mapped_attributes"] == {"Renk": "red"}
    assert mapped["mapped_attribute_values"] == {
        str(color["pk"]): {"attribute_name": "Renk", "label": "Kırmızı", "value": "red",
                           "attribute_remote_id": "47"}
    }  # fmt: skip
    configs = operator_client.get(
        f"{base}attribute_configs/detailed/",
        {"attribute_set": attribute_set["id"], "limit": 10, "page": 1},
    ).json()
    [config] = configs["results"]
    assert config["attribute"]["name"] == "Renk" and config["attribute_set"]["name"] == "Shoes"
    assert config["is_variant"] is True and configs["next"] is None


def test_a_mapped_product_without_an_attribute_set_has_a_null_attribute_set_id(
    operator_client, base, channel
):
    product = catalog_product(channel.catalog)

    mapped = operator_client.get(f"{base}mapped_products/{product.pk}/").json()

    assert "attribute_set_id" in mapped and mapped["attribute_set_id"] is None


def test_a_required_attribute_without_value_is_a_406_with_error(operator_client, base, channel):
    product = catalog_product(channel.catalog, attributes={})
    setup_attributes(operator_client, base, channel, product.category_id, required=True)

    response = operator_client.get(f"{base}mapped_products/{product.pk}/")

    assert response.status_code == 406
    assert "Renk" in response.json()["error"]
    assert response.json()["code"] == "mapping_failed"


def test_attribute_lookups_the_connector_makes(operator_client, base, channel):
    post(
        operator_client,
        f"{base}attribute_sets/",
        {"name": "A", "remote_id": "1", "channel": channel.pk},
    )
    post(operator_client, f"{base}attributes/", {"name": "Beden", "channel": channel.pk})

    by_remote = operator_client.get(
        f"{base}attribute_sets/", {"remote_id__exact": "1", "channel": channel.pk}
    )
    by_name = operator_client.get(
        f"{base}attributes/", {"name__exact": "Beden", "channel": channel.pk}
    )
    duplicate = operator_client.post(f"{base}attributes/", {"name": "Beden", "channel": channel.pk})

    assert [item["name"] for item in by_remote.json()["results"]] == ["A"]
    assert [item["name"] for item in by_name.json()["results"]] == ["Beden"]
    assert duplicate.status_code == 400
    assert duplicate.json()["code"] == "unique"


def test_attribute_set_configs_by_content_type_model(operator_client, base, channel):
    attribute_set = post(operator_client, f"{base}attribute_sets/", {"name": "A"})
    node = Category.objects.create(name="n", code="n")
    post(operator_client, f"{base}attribute_set_configs/",
         {"attribute_set": attribute_set["pk"], "object_id": node.pk, "content_type": "categorynode"})  # fmt: skip

    found = operator_client.get(
        f"{base}attribute_set_configs/",
        {"attribute_set": attribute_set["pk"], "object_id": node.pk,
         "content_type__model__exact": "categorynode"},
    ).json()  # fmt: skip
    every = operator_client.get(
        f"{base}attribute_set_configs/",
        {"content_type__model": "categorynode", "limit": 500, "sort": "object_id"},
    ).json()

    assert [item["object_id"] for item in found["results"]] == [node.pk]
    assert found["results"][0]["content_type"] == "categorynode"
    assert every["count"] == 1


def test_another_channel_s_attribute_cannot_be_used(operator_client, base, channel):
    from tests.channels.factories import ChannelFactory

    other = ChannelFactory()
    foreign = post(
        operator_client, f"/omnitron/api/v1/channel/{other.pk}/attributes/", {"name": "X"}
    )
    attribute_set = post(operator_client, f"{base}attribute_sets/", {"name": "A"})

    response = operator_client.post(
        f"{base}attribute_configs/",
        {"attribute_set": attribute_set["pk"], "attribute": foreign["pk"]},
    )

    assert response.status_code == 400
    assert "attribute" in response.json()
