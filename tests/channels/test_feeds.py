"""Delta feeds of a sales channel: scope, inserts, updates, holding and nothing missed (§11)."""

import pytest
from django.utils import timezone

from pazar.catalog.models import Product
from pazar.channels.models import CatalogItem
from pazar.pricing.models import ProductPrice
from tests.channels.factories import catalog_product
from tests.factories import (
    PriceListFactory,
    ProductFactory,
    ProductPriceFactory,
    ProductStockFactory,
    StockListFactory,
)

pytestmark = pytest.mark.django_db


def pks(client, url, **params) -> list[int]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["next"] is None
    return sorted(item["pk"] for item in body["results"])


def batch_run(client, base, objects, *, model="product", close="done"):
    """A connector's run: create, commit what it read, close."""
    batch = client.post(f"{base}batch_requests/", {}).json()
    url = f"{base}batch_requests/{batch['pk']}/"
    committed = client.patch(url, {"status": "commit", "content_type": model, "objects": objects})
    assert committed.status_code == 200, committed.content
    if close:
        closed = client.patch(url, {"status": close, "objects": objects})
        assert closed.status_code == 200, closed.content
    return batch


def read(product: Product) -> dict:
    return {
        "pk": product.pk,
        "version_date": product.updated_at.isoformat(),
        "remote_id": f"R{product.pk}",
    }


def touch(product: Product) -> None:
    Product.objects.filter(pk=product.pk).update(updated_at=timezone.now())
    product.refresh_from_db()


def test_products_are_scoped_to_the_catalog_and_productized(operator_client, base, channel):
    mine = catalog_product(channel.catalog)
    catalog_product(channel.catalog, product_type="5")  # a pre-product type
    ProductFactory(seller=None, live=True)  # not in the catalog
    url = f"{base}products/"

    assert pks(operator_client, url) == [mine.pk]
    assert pks(operator_client, f"{url}inserts/", product_type=0, limit=100, page=1) == [mine.pk]
    assert pks(operator_client, url, pk__in=f"{mine.pk},999") == [mine.pk]
    assert operator_client.get(f"{url}{mine.pk}/").json()["sku"] == mine.sku


def test_inserts_then_nothing_then_updates_once_changed(operator_client, base, channel):
    first, second = catalog_product(channel.catalog), catalog_product(channel.catalog)
    feed = f"{base}products/"

    batch_run(operator_client, base, [read(first)])

    assert pks(operator_client, f"{feed}inserts/") == [second.pk]
    assert pks(operator_client, f"{feed}updates/") == []
    touch(first)
    assert pks(operator_client, f"{feed}updates/") == [first.pk]
    assert pks(operator_client, f"{feed}inserts_or_updates/") == [first.pk, second.pk]
    batch_run(operator_client, base, [read(first)])
    assert pks(operator_client, f"{feed}updates/") == []


def test_objects_of_an_open_batch_are_in_no_feed(operator_client, base, channel):
    product = catalog_product(channel.catalog)
    batch_run(operator_client, base, [read(product)], close=None)

    for feed in ["inserts", "updates", "inserts_or_updates"]:
        assert pks(operator_client, f"{base}products/{feed}/") == []


def test_a_product_changed_while_its_batch_is_open_is_an_update_after(
    operator_client, base, channel
):
    product = catalog_product(channel.catalog)
    seen = read(product)
    batch = batch_run(operator_client, base, [seen], close=None)
    touch(product)  # changed while the channel is being sent the old version

    closed = operator_client.patch(
        f"{base}batch_requests/{batch['pk']}/", {"status": "done", "objects": [seen]}
    )

    assert closed.status_code == 200
    assert pks(operator_client, f"{base}products/updates/") == [product.pk]


def test_a_failed_object_is_offered_again(operator_client, base, channel):
    new, sent = catalog_product(channel.catalog), catalog_product(channel.catalog)
    batch_run(operator_client, base, [read(sent)])
    touch(sent)
    failed = [
        {**read(new), "failed_reason_type": "remote"},
        {**read(sent), "failed_reason_type": "remote"},
    ]

    batch_run(operator_client, base, failed)

    assert pks(operator_client, f"{base}products/inserts/") == [new.pk]
    assert pks(operator_client, f"{base}products/updates/") == [sent.pk]


def test_feeds_honour_limit_and_say_next(operator_client, base, channel):
    for _ in range(3):
        catalog_product(channel.catalog)

    page = operator_client.get(f"{base}products/inserts/", {"limit": 2, "page": 1}).json()
    last = operator_client.get(f"{base}products/inserts/", {"limit": 2, "page": 2}).json()

    assert len(page["results"]) == 2 and page["next"]
    assert len(last["results"]) == 1 and last["next"] is None


def test_prices_and_stocks_of_the_catalog_lists(operator_client, base, channel):
    catalog = channel.catalog
    product = catalog_product(catalog)
    price = ProductPriceFactory(product=product, price_list=catalog.price_list)
    ProductPriceFactory(product=product)  # another list
    stock = ProductStockFactory(product=product, stock_list=catalog.stock_list)

    assert pks(operator_client, f"{base}product_prices/inserts/", limit=100, page=1) == [price.pk]
    assert pks(
        operator_client, f"{base}product_prices/", product__pk__in=str(product.pk),
        price_list=catalog.price_list_id,
    ) == [price.pk]  # fmt: skip
    assert pks(operator_client, f"{base}product_stocks/inserts/") == [stock.pk]
    body = operator_client.get(f"{base}product_stocks/", {"pk__in": stock.pk}).json()["results"][0]
    assert {"pk", "product", "stock", "stock_list", "unit_type", "sold_quantity_unreported",
            "modified_date"} <= set(body)  # fmt: skip

    batch_run(operator_client, base, [{"pk": price.pk, "version_date": price.updated_at.isoformat()}],
              model="productprice")  # fmt: skip
    assert pks(operator_client, f"{base}product_prices/inserts/") == []
    ProductPrice.objects.filter(pk=price.pk).update(updated_at=timezone.now())
    assert pks(operator_client, f"{base}product_prices/updates/") == [price.pk]


def test_extra_lists(operator_client, base, channel):
    catalog = channel.catalog
    extra_prices, extra_stocks = PriceListFactory(), StockListFactory()
    catalog.extra_price_lists.add(extra_prices)
    catalog.extra_stock_lists.add(extra_stocks)
    product = catalog_product(catalog)
    price = ProductPriceFactory(product=product, price_list=extra_prices)
    stock = ProductStockFactory(product=product, stock_list=extra_stocks)
    ProductPriceFactory(product=product, price_list=catalog.price_list)

    assert pks(operator_client, f"{base}extra_product_prices/inserts/",
               price_list=extra_prices.pk) == [price.pk]  # fmt: skip
    assert (
        pks(operator_client, f"{base}extra_product_prices/", price_list=catalog.price_list_id) == []
    )
    assert (
        pks(operator_client, f"{base}extra_product_stocks/updates/", stock_list=extra_stocks.pk)
        == []
    )
    assert pks(operator_client, f"{base}extra_product_stocks/", product__pk__in=str(product.pk),
               stock_list=extra_stocks.pk, limit=1) == [stock.pk]  # fmt: skip
    assert pks(operator_client, f"{base}price_lists/") == sorted(
        [catalog.price_list_id, extra_prices.pk]
    )
    assert pks(operator_client, f"{base}stock_lists/") == sorted(
        [catalog.stock_list_id, extra_stocks.pk]
    )


def test_a_product_leaving_the_catalog_leaves_the_feeds(operator_client, base, channel):
    product = catalog_product(channel.catalog)
    CatalogItem.objects.filter(product=product).delete()

    assert pks(operator_client, f"{base}products/inserts/") == []


@pytest.mark.parametrize(
    "route",
    ["product_images/", "product_images/inserts/", "product_images/updates/", "retail_stores/"],
)
def test_other_lists_answer_pages(operator_client, base, route):
    assert pks(operator_client, f"{base}{route}", id__in="1,2") == []


def test_feed_pages_are_counted_and_say_whether_more_follow(operator_client, base, channel):
    made = sorted(catalog_product(channel.catalog).pk for _ in range(5))
    url = f"{base}products/inserts/"

    first = operator_client.get(url, {"limit": 2, "page": 1}).json()
    second = operator_client.get(url, {"limit": 2, "page": 2}).json()
    last = operator_client.get(url, {"limit": 2, "page": 3}).json()
    past = operator_client.get(url, {"limit": 2, "page": 4})
    bad = operator_client.get(url, {"limit": 2, "page": "x"})

    assert [p["pk"] for p in first["results"] + second["results"] + last["results"]] == made
    # The documented envelope: `count` is the feed's whole size on every page.
    assert [first["count"], second["count"], last["count"]] == [5, 5, 5]
    assert first["previous"] is None and "page=2" in first["next"]
    assert "page=3" in second["next"] and "page" not in second["previous"].split("?")[-1]
    assert last["next"] is None and "page=2" in last["previous"]
    assert past.status_code == 404 and "detail" in past.json()
    assert bad.status_code == 404
    empty = operator_client.get(f"{base}products/updates/").json()
    assert (empty["count"], empty["next"], empty["results"]) == (0, None, [])
