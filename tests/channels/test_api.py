"""Omnitron catalogs, channels, category trees and catalog items (omnitron.md §9)."""

import pytest

from pazar.channels.models import Catalog, CatalogItem, CategoryTree, Channel
from tests.channels.factories import (
    CatalogFactory,
    CatalogItemFactory,
    CategoryTreeFactory,
    ChannelFactory,
)
from tests.factories import CategoryFactory, PriceListFactory, ProductFactory, StockListFactory

pytestmark = pytest.mark.django_db

V1 = "/omnitron/api/v1/"


def iso(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def dates(instance) -> dict:
    return {"created_date": iso(instance.created_at), "modified_date": iso(instance.updated_at)}


def catalog_body(catalog: Catalog) -> dict:
    catalog.refresh_from_db()
    return {
        "pk": catalog.pk,
        "id": catalog.pk,
        "name": catalog.name,
        "price_list": catalog.price_list_id,
        "stock_list": catalog.stock_list_id,
        "category_tree": catalog.category_tree_id,
        "extra_price_lists": sorted(catalog.extra_price_lists.values_list("pk", flat=True)),
        "extra_stock_lists": sorted(catalog.extra_stock_lists.values_list("pk", flat=True)),
        **dates(catalog),
    }


def channel_body(channel: Channel) -> dict:
    channel.refresh_from_db()
    return {
        "pk": channel.pk,
        "id": channel.pk,
        "name": channel.name,
        "catalog": channel.catalog_id,
        "channel_type": channel.channel_type,
        "conf": channel.conf,
        "category_tree": channel.category_tree_id,
        "is_active": channel.is_active,
        "schema": channel.schema,
        **dates(channel),
    }


# --- category trees -------------------------------------------------------------------------


def test_a_category_tree_is_created_and_reads_its_root_as_a_node(operator_client):
    root = CategoryFactory(name="Web", code="web")

    response = operator_client.post(
        f"{V1}category_trees/", {"name": "Web tree", "category_root": root.pk}, format="json"
    )

    assert response.status_code == 201
    tree = CategoryTree.objects.get()
    tree.refresh_from_db()
    assert response.json() == {
        "pk": tree.pk,
        "id": tree.pk,
        "name": "Web tree",
        "category_root": {"pk": root.pk, "id": root.pk, "name": "Web", "code": "web", "parent": None},
        **dates(tree),
    }  # fmt: skip


def test_a_trees_root_must_exist_and_a_deleted_root_reads_as_null(operator_client):
    tree = CategoryTreeFactory()

    refused = operator_client.post(
        f"{V1}category_trees/", {"name": "T", "category_root": 999999}, format="json"
    )
    tree.category_root.delete()
    read = operator_client.get(f"{V1}category_trees/{tree.pk}/")

    assert refused.status_code == 400
    assert refused.json() == {"category_root": ['Invalid pk "999999" - object does not exist.']}
    assert read.status_code == 200
    assert read.json()["category_root"] is None


def test_a_category_tree_in_use_cannot_be_deleted(operator_client):
    used, free = CategoryTreeFactory(), CategoryTreeFactory()
    CatalogFactory(category_tree=used)

    refused = operator_client.delete(f"{V1}category_trees/{used.pk}/")
    deleted = operator_client.delete(f"{V1}category_trees/{free.pk}/")

    assert refused.status_code == 400
    assert refused.json() == {
        "detail": "This category tree is used by a catalog or a channel.",
        "code": "category_tree_in_use",
    }
    assert deleted.status_code == 204
    assert list(CategoryTree.objects.all()) == [used]


def test_category_trees_are_changed_and_filtered(operator_client):
    tree = CategoryTreeFactory(name="Web")
    other = CategoryTreeFactory(name="Store")
    new_root = CategoryFactory()

    patched = operator_client.patch(
        f"{V1}category_trees/{tree.pk}/", {"category_root": new_root.pk}, format="json"
    )
    by_name = operator_client.get(f"{V1}category_trees/", {"name__icontains": "sto"})
    by_root = operator_client.get(f"{V1}category_trees/", {"category_root": new_root.pk})

    assert patched.status_code == 200
    assert patched.json()["category_root"]["pk"] == new_root.pk
    assert [item["pk"] for item in by_name.json()["results"]] == [other.pk]
    assert [item["pk"] for item in by_root.json()["results"]] == [tree.pk]


# --- catalogs -------------------------------------------------------------------------------


def test_a_catalog_is_created_with_its_lists_and_read_by_id(operator_client):
    price_list, stock_list = PriceListFactory(), StockListFactory()
    extra_stocks = StockListFactory.create_batch(2)
    tree = CategoryTreeFactory()

    created = operator_client.post(
        f"{V1}catalogs/",
        {
            "name": "Web",
            "price_list": price_list.pk,
            "stock_list": stock_list.pk,
            "category_tree": tree.pk,
            "extra_stock_lists": [s.pk for s in extra_stocks],
        },
        format="json",
    )
    catalog = Catalog.objects.get()
    read = operator_client.get(f"{V1}catalogs/{catalog.pk}/")

    assert created.status_code == 201
    assert created.json() == catalog_body(catalog)
    assert read.json() == created.json()
    assert (read.json()["price_list"], read.json()["stock_list"]) == (price_list.pk, stock_list.pk)
    assert read.json()["extra_stock_lists"] == sorted(s.pk for s in extra_stocks)


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"name": ["This field is required."], "price_list": ["This field is required."],
              "stock_list": ["This field is required."]}),
        ({"name": "C", "price_list": 999999, "stock_list": None},
         {"price_list": ['Invalid pk "999999" - object does not exist.'],
          "stock_list": ["This field may not be null."]}),
    ],
)  # fmt: skip
def test_an_invalid_catalog_is_a_400(operator_client, body, errors):
    response = operator_client.post(f"{V1}catalogs/", body, format="json")

    assert response.status_code == 400
    assert response.json() == errors


def test_a_catalog_is_changed_replaced_and_deleted(operator_client):
    catalog = CatalogFactory()
    extra = PriceListFactory()
    other_list = StockListFactory()
    url = f"{V1}catalogs/{catalog.pk}/"
    before = catalog.updated_at

    patched = operator_client.patch(url, {"extra_price_lists": [extra.pk]}, format="json")
    put = operator_client.put(
        url,
        {"name": "New", "price_list": catalog.price_list_id, "stock_list": other_list.pk},
        format="json",
    )
    deleted = operator_client.delete(url)

    assert patched.status_code == 200
    assert patched.json()["extra_price_lists"] == [extra.pk]
    assert patched.json()["modified_date"] > iso(before)
    assert put.status_code == 200
    assert (put.json()["name"], put.json()["stock_list"]) == ("New", other_list.pk)
    assert put.json()["extra_price_lists"] == [extra.pk]
    assert deleted.status_code == 204
    assert not Catalog.objects.exists()


def test_lists_and_catalogs_in_use_are_kept(operator_client):
    channel = ChannelFactory()
    catalog = channel.catalog

    catalog_refused = operator_client.delete(f"{V1}catalogs/{catalog.pk}/")
    prices_refused = operator_client.delete(f"{V1}price_list/{catalog.price_list_id}/")
    stocks_refused = operator_client.delete(f"{V1}stock_list/{catalog.stock_list_id}/")

    assert catalog_refused.status_code == 400
    assert catalog_refused.json() == {
        "detail": "This catalog is used by a channel.",
        "code": "catalog_in_use",
    }
    assert prices_refused.status_code == 400
    assert prices_refused.json()["code"] == "price_list_in_use"
    assert stocks_refused.status_code == 400
    assert stocks_refused.json()["code"] == "stock_list_in_use"
    assert Catalog.objects.filter(pk=catalog.pk).exists()


def test_catalogs_filter_by_their_lists(operator_client):
    web = CatalogFactory(name="Web")
    store = CatalogFactory(name="Store", price_list=web.price_list)

    def pks(**params):
        return [
            item["pk"] for item in operator_client.get(f"{V1}catalogs/", params).json()["results"]
        ]

    assert pks(price_list=web.price_list_id) == [web.pk, store.pk]
    assert pks(stock_list=store.stock_list_id) == [store.pk]
    assert pks(name="Web") == [web.pk]
    assert pks(sort="-id") == [store.pk, web.pk]


# --- catalog items --------------------------------------------------------------------------


def test_products_are_put_into_a_catalog_one_or_many_at_a_time(operator_client):
    catalog = CatalogFactory()
    products = ProductFactory.create_batch(3)

    one = operator_client.post(
        f"{V1}catalog_items/", {"catalog": catalog.pk, "product": products[0].pk}, format="json"
    )
    many = operator_client.post(
        f"{V1}catalog_items/",
        [{"catalog": catalog.pk, "product": p.pk} for p in products[1:]],
        format="json",
    )

    assert one.status_code == 201
    item = CatalogItem.objects.get(product=products[0])
    assert one.json() == {
        "pk": item.pk,
        "id": item.pk,
        "catalog": catalog.pk,
        "product": products[0].pk,
        **dates(item),
    }
    assert many.status_code == 201
    assert [row["product"] for row in many.json()] == [p.pk for p in products[1:]]
    assert catalog.items.count() == 3


def test_catalog_items_are_refused_whole_with_errors_by_row(operator_client):
    catalog = CatalogFactory()
    present = CatalogItemFactory(catalog=catalog)
    product = ProductFactory()
    rows = [
        {"catalog": catalog.pk, "product": product.pk},
        {"catalog": catalog.pk, "product": present.product_id},
        {"catalog": 999999, "product": product.pk},
        {"catalog": catalog.pk, "product": product.pk},
    ]

    malformed = operator_client.post(f"{V1}catalog_items/", [*rows, {"catalog": 1}])
    refused = operator_client.post(f"{V1}catalog_items/", rows, format="json")

    assert malformed.status_code == 400
    assert malformed.json() == {"4": {"product": ["This field is required."]}}
    assert refused.status_code == 400
    assert refused.json() == {
        "1": {"non_field_errors": ["The fields catalog, product must make a unique set."]},
        "2": {"catalog": ['Invalid pk "999999" - object does not exist.']},
        "3": {"non_field_errors": ["This product has another row for the same catalog in this request."]},
    }  # fmt: skip
    assert CatalogItem.objects.count() == 1


def test_catalog_items_are_filtered_read_and_deleted(operator_client):
    item = CatalogItemFactory(product=ProductFactory(sku="A-1"))
    other = CatalogItemFactory()

    by_catalog = operator_client.get(f"{V1}catalog_items/", {"catalog": item.catalog_id})
    by_sku = operator_client.get(f"{V1}catalog_items/", {"product__sku": "A-1"})
    by_products = operator_client.get(
        f"{V1}catalog_items/", {"product__pk__in": f"{item.product_id},{other.product_id}"}
    )
    read = operator_client.get(f"{V1}catalog_items/{item.pk}/")
    deleted = operator_client.delete(f"{V1}catalog_items/{item.pk}/")

    assert [row["pk"] for row in by_catalog.json()["results"]] == [item.pk]
    assert [row["pk"] for row in by_sku.json()["results"]] == [item.pk]
    assert [row["pk"] for row in by_products.json()["results"]] == [item.pk, other.pk]
    assert read.json()["product"] == item.product_id
    assert deleted.status_code == 204
    assert list(CatalogItem.objects.all()) == [other]


# --- channels -------------------------------------------------------------------------------


def test_a_channel_is_created_read_and_patched_as_channel_apps_do(operator_client):
    catalog = CatalogFactory()
    tree = CategoryTreeFactory()

    created = operator_client.post(
        f"{V1}channels/",
        {
            "name": "Marketplace X",
            "catalog": catalog.pk,
            "channel_type": "sales_channel",
            "conf": {"remote_id_attribute": "attributes__barcode", "send_shipping_info": True},
        },
        format="json",
    )
    channel = Channel.objects.get()
    created_body = channel_body(channel)
    url = f"{V1}channels/{channel.pk}/"
    read = operator_client.get(url)
    patched = operator_client.patch(
        url, {"category_tree": tree.pk, "schema": {"fields": [{"key": "api_key"}]}}, format="json"
    )

    assert created.status_code == 201
    assert created.json() == created_body
    assert (created_body["category_tree"], created_body["schema"]) == (None, {})
    assert read.json()["is_active"] is True
    assert read.json()["conf"]["remote_id_attribute"] == "attributes__barcode"
    assert patched.status_code == 200
    assert patched.json() == channel_body(channel)
    assert (patched.json()["category_tree"], patched.json()["schema"]) == (
        tree.pk,
        {"fields": [{"key": "api_key"}]},
    )
    # The channel's catalog leads to its price and stock lists (channel_app's bootstrap).
    listed = operator_client.get(f"{V1}catalogs/{read.json()['catalog']}/").json()
    assert (listed["price_list"], listed["stock_list"]) == (
        catalog.price_list_id,
        catalog.stock_list_id,
    )


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"name": "C"}, {"catalog": ["This field is required."]}),
        ({"name": "C", "conf": [1]}, {"conf": ["Expected an object."]}),
        ({"name": "C", "schema": "x"}, {"schema": ["Expected an object."]}),
    ],
)
def test_an_invalid_channel_is_a_400(operator_client, body, errors):
    if "conf" in body or "schema" in body:
        body = {**body, "catalog": CatalogFactory().pk}

    response = operator_client.post(f"{V1}channels/", body, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert not Channel.objects.exists()


def test_channels_are_not_replaced_or_deleted_but_deactivated(operator_client):
    channel = ChannelFactory()
    url = f"{V1}channels/{channel.pk}/"

    put = operator_client.put(url, {"name": "X", "catalog": channel.catalog_id}, format="json")
    delete = operator_client.delete(url)
    deactivated = operator_client.patch(url, {"is_active": False}, format="json")

    assert (put.status_code, delete.status_code) == (405, 405)
    assert deactivated.json()["is_active"] is False


def test_channels_filter(operator_client):
    web = ChannelFactory(channel_type="web")
    market = ChannelFactory(channel_type="sales_channel", is_active=False, catalog=web.catalog)

    def pks(**params):
        return [
            item["pk"] for item in operator_client.get(f"{V1}channels/", params).json()["results"]
        ]

    assert pks(channel_type="sales_channel") == [market.pk]
    assert pks(is_active="true") == [web.pk]
    assert pks(catalog=web.catalog_id) == [web.pk, market.pk]
    assert pks(sort="-id") == [market.pk, web.pk]
