"""The kept counts of each channel's unsent and changed products (`pazar.channels.dbobjects`)
equal the counts of its `inserts/`, `updates/` and `inserts_or_updates/` feeds after any mix of
writes, and the feeds answer the same `count` from them.

The writes go through paths no service controls (bulk inserts, queryset updates and deletes,
actions created and changed directly) as well as the batch services (commit, done, fail): the
database's triggers must follow them all.
"""

import itertools
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pazar.catalog.models import PRE_PRODUCT_TYPES, Product, ProductType
from pazar.channels import dbobjects, selectors
from pazar.channels.models import (
    BatchRequest,
    CatalogItem,
    Channel,
    IntegrationAction,
)
from pazar.channels.models.integration import OPEN_BATCH_STATUSES
from pazar.channels.services import integration as services
from tests.channels.factories import CatalogFactory, ChannelFactory, catalog_product

pytestmark = pytest.mark.django_db

TYPES = ["0", "1", "3", "5", "6"]  # 5 and 6: pre-product types, never in a feed
PRODUCT = st.fixed_dictionaries({"approved": st.booleans(), "product_type": st.sampled_from(TYPES)})
PICK = st.integers(0, 60)
PICKS = st.lists(PICK, min_size=1, max_size=4)
STATUS = st.sampled_from([None, "processing", "success", "error"])
REMOTE = st.sampled_from([None, "R-1"])
# Times around the products' own `updated_at` (now): a version before, at or after a change.
BASE = timezone.now()
HOURS = st.sampled_from([None, -2, -1, 0, 1, 2])


def _at(hours):
    return None if hours is None else BASE + timedelta(hours=hours)


OPERATION = st.one_of(
    st.tuples(st.just("insert"), st.lists(PRODUCT, min_size=1, max_size=4), st.integers(0, 2)),
    st.tuples(st.just("update"), PICKS, PRODUCT),
    st.tuples(st.just("touch"), PICKS, HOURS),  # `updated_at` moved past or before versions
    st.tuples(st.just("save"), PICK),  # `updated_at` by `auto_now`
    st.tuples(st.just("delete"), PICKS),
    st.tuples(st.just("enter"), PICKS, st.integers(0, 1)),
    st.tuples(st.just("leave"), PICKS, st.integers(0, 1)),
    st.tuples(st.just("move_item"), PICK, st.integers(0, 1)),
    st.tuples(st.just("action"), st.integers(0, 2), PICKS, STATUS, REMOTE, HOURS),
    st.tuples(st.just("action_update"), PICKS, STATUS, REMOTE),
    st.tuples(st.just("action_version"), PICKS, HOURS),
    st.tuples(st.just("action_other_object"), PICK, PICK),
    st.tuples(st.just("action_delete"), PICKS),
    st.tuples(st.just("commit"), st.integers(0, 2), PICKS),
    st.tuples(st.just("close"), PICK, st.sampled_from(["done", "fail"]), st.booleans()),
    st.tuples(st.just("channel_catalog"), st.integers(0, 2), st.integers(0, 1)),
    st.tuples(st.just("channel_new"), st.integers(0, 1)),
    st.tuples(st.just("channel_delete"), st.integers(0, 2)),
)
SKUS = (f"FC-{n}" for n in itertools.count())


@pytest.fixture
def world(db):
    catalogs = [CatalogFactory(), CatalogFactory()]
    return catalogs


def _channels():
    return list(Channel.objects.order_by("pk"))


def _chosen(picks, rows):
    return sorted({rows[i % len(rows)] for i in picks}) if rows else []


def start_over(catalogs) -> None:
    """Hypothesis runs every example in one test's database: no products, actions, batches or
    channels left from the last one, and a channel on each of the two catalogs."""
    IntegrationAction.objects.all().delete()
    BatchRequest.objects.all().delete()
    Channel.objects.all().delete()
    Product.objects.all().delete()
    ChannelFactory(catalog=catalogs[0])
    ChannelFactory(catalog=catalogs[1])


def apply(operation, catalogs) -> None:
    kind, *args = operation
    pks = list(Product.objects.order_by("pk").values_list("pk", flat=True))
    channels = _channels()
    product_type = ContentType.objects.get_for_model(Product)
    if kind == "insert":
        rows, where = args
        products = []
        for row in rows:
            sku = next(SKUS)
            products.append(Product(sku=sku, base_code=sku, name=sku, **row))
        created = Product.objects.bulk_create(products)
        if where < 2:
            CatalogItem.objects.bulk_create(
                CatalogItem(catalog=catalogs[where], product=product) for product in created
            )
    elif kind == "update":
        Product.objects.filter(pk__in=_chosen(args[0], pks)).update(**args[1])
    elif kind == "touch":
        at = _at(args[1]) or timezone.now()
        Product.objects.filter(pk__in=_chosen(args[0], pks)).update(updated_at=at)
    elif kind == "save" and pks:
        Product.objects.get(pk=pks[args[0] % len(pks)]).save()
    elif kind == "delete":
        Product.objects.filter(pk__in=_chosen(args[0], pks)).delete()
    elif kind == "enter":
        catalog = catalogs[args[1]]
        CatalogItem.objects.bulk_create(
            [CatalogItem(catalog=catalog, product_id=pk) for pk in _chosen(args[0], pks)],
            ignore_conflicts=True,
        )
    elif kind == "leave":
        CatalogItem.objects.filter(
            catalog=catalogs[args[1]], product_id__in=_chosen(args[0], pks)
        ).delete()
    elif kind == "move_item":
        items = list(CatalogItem.objects.order_by("pk"))
        if items:
            item = items[args[0] % len(items)]
            other = catalogs[args[1]]
            if not CatalogItem.objects.filter(catalog=other, product_id=item.product_id).exists():
                CatalogItem.objects.filter(pk=item.pk).update(catalog=other)
    elif kind == "action" and channels:
        channel = channels[args[0] % len(channels)]
        IntegrationAction.objects.bulk_create(
            [
                IntegrationAction(
                    channel=channel,
                    content_type=product_type,
                    object_id=pk,
                    status=args[2],
                    remote_id=args[3],
                    version_date=_at(args[4]),
                )
                for pk in _chosen(args[1], [*pks, 10**9])  # and one whose object is gone
            ],
            ignore_conflicts=True,
        )
    elif kind == "action_update":
        actions = list(IntegrationAction.objects.order_by("pk").values_list("pk", flat=True))
        IntegrationAction.objects.filter(pk__in=_chosen(args[0], actions)).update(
            status=args[1], remote_id=args[2]
        )
    elif kind == "action_version":
        actions = list(IntegrationAction.objects.order_by("pk").values_list("pk", flat=True))
        IntegrationAction.objects.filter(pk__in=_chosen(args[0], actions)).update(
            version_date=_at(args[1])
        )
    elif kind == "action_other_object":
        actions = list(IntegrationAction.objects.order_by("pk"))
        if actions and pks:
            action = actions[args[0] % len(actions)]
            target = pks[args[1] % len(pks)]
            clash = IntegrationAction.objects.filter(
                channel_id=action.channel_id, content_type=product_type, object_id=target
            )
            if not clash.exists():
                IntegrationAction.objects.filter(pk=action.pk).update(object_id=target)
    elif kind == "action_delete":
        actions = list(IntegrationAction.objects.order_by("pk").values_list("pk", flat=True))
        IntegrationAction.objects.filter(pk__in=_chosen(args[0], actions)).delete()
    elif kind == "commit" and channels:
        channel = channels[args[0] % len(channels)]
        batch = services.batch_request_create(channel=channel)
        objects = [{"pk": pk, "content_type": "product"} for pk in _chosen(args[1], pks)]
        try:
            services.batch_request_update(
                batch=batch, data={"status": "commit", "objects": objects}
            )
        except Exception as error:  # an object another batch holds: the commit rolls back
            assert "holds" in str(error)
    elif kind == "close":
        batches = list(BatchRequest.objects.filter(status__in=OPEN_BATCH_STATUSES).order_by("pk"))
        if batches:
            batch = batches[args[0] % len(batches)]
            objects = [
                {"pk": item["pk"], "content_type": "product", "remote_id": f"R-{item['pk']}"}
                for item in batch.items or []
                if args[2]
            ]
            services.batch_request_update(batch=batch, data={"status": args[1], "objects": objects})
    elif kind == "channel_catalog" and channels:
        channel = channels[args[0] % len(channels)]
        Channel.objects.filter(pk=channel.pk).update(catalog=catalogs[args[1]])
    elif kind == "channel_new":
        ChannelFactory(catalog=catalogs[args[0]])
    elif kind == "channel_delete" and len(channels) > 1:
        channels[args[0] % len(channels)].delete()


def real_counts() -> dict[tuple, int]:
    """Each channel's count of each feed, per type and in all, as a feed page counts it."""
    counts = {}
    for channel in _channels():
        for name in selectors.FEEDS:
            feed = selectors.delta(selectors.channel_products(channel), channel=channel, feed=name)
            counts[(channel.pk, name, None)] = feed.count()
            for product_type in TYPES:
                counts[(channel.pk, name, product_type)] = feed.filter(
                    product_type=product_type
                ).count()
    return counts


def kept_counts() -> dict[tuple, int]:
    counts = {}
    for channel in _channels():
        for name in selectors.FEEDS:
            counts[(channel.pk, name, None)] = selectors.product_feed_count(channel, feed=name)
            for product_type in TYPES:
                counts[(channel.pk, name, product_type)] = selectors.product_feed_count(
                    channel, feed=name, product_type=product_type
                )
    return counts


def real_pages() -> dict[tuple, list[int]]:
    """Each channel's `inserts/` products, per type and in all, as the ORM's feed has them."""
    pages = {}
    for channel in _channels():
        feed = selectors.delta(
            selectors.channel_products(channel), channel=channel, feed=selectors.INSERTS
        ).order_by("pk")
        for product_type in [None, *TYPES]:
            rows = feed if product_type is None else feed.filter(product_type=product_type)
            pages[(channel.pk, product_type)] = list(rows.values_list("pk", flat=True))
    return pages


def kept_pages() -> dict[tuple, list[int]]:
    """The same from the pages the API reads (from the kept lower bound of `inserts/`)."""
    pages = {}
    for channel in _channels():
        for product_type in [None, *TYPES]:
            rows = selectors.product_feed_page(
                channel, feed=selectors.INSERTS, columns=("id",), product_type=product_type,
                offset=0, limit=1000,
            )  # fmt: skip
            pages[(channel.pk, product_type)] = [row.pk for row in rows]
    return pages


def kept_lows() -> dict[tuple, int | None]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT channel_id, product_type, low FROM {dbobjects.COUNT_TABLE}")
        return {(channel, product_type): low for channel, product_type, low in cursor.fetchall()}


def assert_lower_bounds() -> None:
    """Each kept `low` is at most every unsent product of its channel and type (none: no
    unsent product), and the pages read from it are the feed's."""
    lows, real = kept_lows(), real_pages()
    for (channel, product_type), pks in real.items():
        if product_type is not None and pks:
            low = lows.get((channel, product_type))
            assert low is not None and low <= pks[0], (channel, product_type, low, pks)
    assert kept_pages() == real


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(OPERATION, min_size=1, max_size=12))
def test_every_kept_count_equals_the_feeds_count(world, operations):
    catalogs = world
    start_over(catalogs)
    for operation in operations:
        apply(operation, catalogs)
        assert kept_counts() == real_counts(), operation
        assert_lower_bounds()
    dbobjects.counts_rebuild(connection)  # the repair counts the same
    assert kept_counts() == real_counts()
    assert_lower_bounds()


def test_a_commit_moves_the_lower_bound_to_the_first_product_not_taken(world):
    """Products taken in order (channel_app's loop) move the bound to the next product, so the
    next page reads no taken one; a product put back lowers it, a product taken skips it."""
    channel = ChannelFactory(catalog=world[0])
    products = [catalog_product(world[0], product_type="0") for _ in range(5)]
    pks = [product.pk for product in products]
    assert kept_lows()[(channel.pk, "0")] == pks[0]

    def commit(*indexes):
        batch = services.batch_request_create(channel=channel)
        objects = [{"pk": pks[i], "content_type": "product"} for i in indexes]
        services.batch_request_update(batch=batch, data={"status": "commit", "objects": objects})
        return batch

    first = commit(0, 1)
    assert kept_lows()[(channel.pk, "0")] == pks[2]
    services.batch_request_update(batch=first, data={"status": "done"})  # moves nothing
    assert kept_lows()[(channel.pk, "0")] == pks[2]
    failed = commit(3)
    assert kept_lows()[(channel.pk, "0")] == pks[2]  # the first not taken is before it
    commit(2)
    assert kept_lows()[(channel.pk, "0")] == pks[4]
    services.batch_request_update(batch=failed, data={"status": "fail"})  # put back
    assert kept_lows()[(channel.pk, "0")] == pks[3]
    commit(3, 4)
    assert kept_lows()[(channel.pk, "0")] is None  # nothing left to send
    assert_lower_bounds()


def test_the_triggers_know_the_pre_product_types():
    assert (
        str(tuple(sorted(str(t.value) for t in PRE_PRODUCT_TYPES)))
        == dbobjects.PRE_PRODUCT_TYPES_SQL
    )


def test_a_missing_trigger_is_put_back_and_everything_counted_anew(world):
    channel = ChannelFactory(catalog=world[0])
    catalog_product(world[0], product_type="0")
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {dbobjects.COUNT_TABLE} SET count = 99, updates = 99, low = 99")
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER channels_feedcount_item_ai ON channels_catalogitem")
        else:
            cursor.execute("DROP TRIGGER channels_feedcount_item_ai")
    catalog_product(world[0], product_type="0")  # written without the trigger
    dbobjects.install(connection)
    assert selectors.unsent_product_count(channel) == 2
    catalog_product(world[0], product_type="1")
    assert selectors.unsent_product_count(channel) == 3
    assert selectors.unsent_product_count(channel, product_type="1") == 1
    assert selectors.product_feed_count(channel, feed=selectors.UPDATES) == 0
    assert_lower_bounds()


def test_a_count_table_without_its_lower_bounds_is_made_anew(world):
    """A table of an earlier install (no `low` column): the column added, the triggers made
    again and every row counted anew."""
    channel = ChannelFactory(catalog=world[0])
    products = [catalog_product(world[0], product_type="0") for _ in range(2)]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":  # SQLite drops no column its triggers name
            for name in dbobjects.SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER {name}")
        cursor.execute(f"ALTER TABLE {dbobjects.COUNT_TABLE} DROP COLUMN low")
    dbobjects.install(connection)
    assert kept_lows()[(channel.pk, "0")] == products[0].pk
    catalog_product(world[0], product_type="1")
    assert selectors.unsent_product_count(channel) == 3
    assert_lower_bounds()


FEEDS = ["inserts", "updates", "inserts_or_updates"]


@pytest.mark.parametrize("feed", FEEDS)
def test_the_feed_pages_count_on_the_wire_is_the_exact_count(operator_client, channel, feed):
    """Kept (no filter, `product_type` alone) and exact (other filters) counts agree with the
    rows, and a held or sent product leaves or enters them as before."""
    catalog = channel.catalog
    products = [catalog_product(catalog, product_type=t) for t in ["0", "0", "1", "0", "5"]]
    batch = services.batch_request_create(channel=channel)
    services.batch_request_update(
        batch=batch,
        data={"status": "commit", "objects": [{"pk": products[0].pk, "content_type": "product"}]},
    )
    sent = services.batch_request_create(channel=channel)
    services.batch_request_update(
        batch=sent,
        data={"status": "commit", "objects": [{"pk": products[1].pk, "content_type": "product"}]},
    )
    services.batch_request_update(
        batch=sent,
        data={
            "status": "done",
            "objects": [{"pk": products[1].pk, "content_type": "product", "remote_id": "R"}],
        },
    )
    Product.objects.filter(pk=products[1].pk).update(updated_at=timezone.now() + timedelta(days=1))
    url = f"/omnitron/api/v1/channel/{channel.pk}/products/{feed}/"
    expected = {
        "inserts": [products[2].pk, products[3].pk],
        "updates": [products[1].pk],
        "inserts_or_updates": [products[1].pk, products[2].pk, products[3].pk],
    }[feed]
    type_of = {product.pk: product.product_type for product in products}
    of_type = {t: [pk for pk in expected if type_of[pk] == t] for t in ("0", "1")}
    for params, pks in [
        ({}, expected),
        ({"product_type": ProductType.SIMPLE}, of_type["0"]),
        ({"product_type": "1", "limit": 1}, of_type["1"]),
        ({"product_type": "0", "pk__gte": 0, "limit": 1, "page": 1}, of_type["0"]),  # exact
    ]:
        body = operator_client.get(url, params).json()
        assert body["count"] == len(pks), params
        assert [row["pk"] for row in body["results"]] == pks[: params.get("limit", 100)], params
    # An unknown type answers the filter's 400, as before.
    assert operator_client.get(url, {"product_type": "9"}).status_code == 400
