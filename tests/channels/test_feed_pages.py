"""The feed pages read by SQL compiled once (`selectors.product_feed_page`, the page of
`inserts/`, `updates/` and `inserts_or_updates/` chosen by `product_type` alone or by nothing)
are the rows, in the order and with the output, of the ORM's page of the same feed, after any
mix of writes (`test_feed_counts`' operations), and on the wire the page of the filters'
path."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pazar.catalog.api.product_serializers import ProductSerializer
from pazar.catalog.models import Product
from pazar.channels import selectors
from pazar.channels.models import Channel
from pazar.channels.services import integration as services
from tests.channels.factories import catalog_product
from tests.channels.test_feed_counts import (  # noqa: F401
    OPERATION,
    TYPES,
    apply,
    start_over,
    world,
)

pytestmark = pytest.mark.django_db

LINKS = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=6)


def _output(products) -> list[dict]:
    serializer = ProductSerializer()
    return [serializer.to_representation(product) for product in products]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    operations=st.lists(OPERATION, min_size=1, max_size=12),
    links=LINKS,
    limit=st.integers(1, 3),
)
def test_every_feed_page_is_the_orms_page(world, operations, links, limit):  # noqa: F811
    catalogs = world
    start_over(catalogs)
    for operation in operations:
        apply(operation, catalogs)
    pks = list(Product.objects.order_by("pk").values_list("pk", flat=True))
    if pks:  # group products: links between any products, pre-products included
        Product.group_products.through.objects.bulk_create(
            [
                Product.group_products.through(
                    from_product_id=pks[a % len(pks)], to_product_id=pks[b % len(pks)]
                )
                for a, b in links
            ],
            ignore_conflicts=True,
        )
    for channel in Channel.objects.select_related("catalog").order_by("pk"):
        for feed in selectors.FEEDS:
            for product_type in [None, *TYPES]:
                rows = selectors.delta(
                    selectors.channel_products(channel), channel=channel, feed=feed
                )
                if product_type is not None:
                    rows = rows.filter(product_type=product_type)
                expected = list(rows)
                for offset in range(0, len(expected) + limit, limit):
                    page = selectors.product_feed_page(
                        channel,
                        feed=feed,
                        columns=ProductSerializer.COLUMNS,
                        product_type=product_type,
                        offset=offset,
                        limit=limit,
                    )
                    assert _output(page) == _output(expected[offset : offset + limit]), (
                        feed,
                        product_type,
                        offset,
                    )


@pytest.mark.parametrize("feed", selectors.FEEDS)
def test_the_kept_page_on_the_wire_is_the_filters_page(operator_client, channel, feed):
    """The same page, count and links whether the page is read by the compiled SQL (no
    parameter but `product_type` and paging) or through the filters (`pk__gte=0` chooses the
    same rows the ORM's way)."""
    catalog = channel.catalog
    products = [catalog_product(catalog, product_type=t) for t in "0010001000"]
    products[3].group_products.set([products[0], products[2]])
    held = services.batch_request_create(channel=channel)
    services.batch_request_update(
        batch=held,
        data={"status": "commit", "objects": [{"pk": products[1].pk, "content_type": "product"}]},
    )
    sent = services.batch_request_create(channel=channel)
    objects = [{"pk": products[i].pk, "content_type": "product"} for i in (4, 5, 6, 7)]
    services.batch_request_update(batch=sent, data={"status": "commit", "objects": objects})
    for item in objects:
        item["remote_id"] = f"R-{item['pk']}"
    services.batch_request_update(batch=sent, data={"status": "done", "objects": objects})
    Product.objects.filter(pk__in=[products[i].pk for i in (4, 5, 7)]).update(
        updated_at=timezone.now() + timedelta(days=1)
    )
    url = f"/omnitron/api/v1/channel/{channel.pk}/products/{feed}/"
    pages = 0
    for params in [
        {"product_type": "0", "limit": 3},
        {"product_type": "0", "limit": 3, "page": 2},
        {"product_type": "0", "limit": 3, "page": "last"},
        {"limit": 2, "page": 2},
        {},
    ]:
        kept = operator_client.get(url, params)
        filtered = operator_client.get(url, {**params, "pk__gte": 0})
        assert kept.status_code == filtered.status_code, params
        kept, filtered = kept.json(), filtered.json()
        for body in (kept, filtered):
            for link in ("next", "previous"):
                if body.get(link):
                    body[link] = body[link].replace("&pk__gte=0", "").replace("pk__gte=0&", "")
        assert kept == filtered, params
        pages += kept.get("results") is not None
    assert pages >= 3
    for page in ("9", "0", "x"):  # out of range or not a page: the same 404
        kept = operator_client.get(url, {"product_type": "0", "limit": 3, "page": page})
        filtered = operator_client.get(
            url, {"product_type": "0", "limit": 3, "page": page, "pk__gte": 0}
        )
        assert kept.status_code == filtered.status_code == 404
        assert kept.json() == filtered.json()


def test_the_compiled_page_is_one_statement(channel):
    for _ in range(5):
        catalog_product(channel.catalog, product_type="0")
    selectors.product_feed_page(
        channel, feed="inserts", columns=ProductSerializer.COLUMNS, offset=0, limit=2
    )
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        page = selectors.product_feed_page(
            channel, feed="inserts", columns=ProductSerializer.COLUMNS, offset=2, limit=2
        )
    assert len(page) == 2
    assert len(captured.captured_queries) == 2  # the page, its group products


def test_a_compiled_pages_products_are_the_orms(channel):
    """The instances are those `from_db` builds: the same loaded and deferred fields, state
    and values; a deferred field loads on access."""
    for product_type in "001":
        catalog_product(channel.catalog, product_type=product_type)
    page = selectors.product_feed_page(
        channel, feed="inserts", columns=ProductSerializer.COLUMNS, offset=0, limit=5
    )
    rows = selectors.channel_products(channel).only(*ProductSerializer.COLUMNS)
    orm = list(selectors.delta(rows, channel=channel, feed="inserts"))
    assert len(page) == 3
    for got, expected in zip(page, orm, strict=True):
        assert type(got) is type(expected) is Product
        assert got.get_deferred_fields() == expected.get_deferred_fields() != set()
        assert (got._state.adding, got._state.db) == (expected._state.adding, expected._state.db)
        assert {k: v for k, v in got.__dict__.items() if k != "_state"} == {
            k: v
            for k, v in expected.__dict__.items()
            if k not in ("_state", "_prefetched_objects_cache")
        }
        assert got.approved is expected.approved is True  # deferred: read on access
