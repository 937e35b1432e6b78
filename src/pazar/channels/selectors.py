"""Reads of the channels app: content types, and what a sales channel sells (its feeds)."""

from __future__ import annotations

import contextlib

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL

from pazar.catalog import selectors as catalog_selectors
from pazar.catalog.models import Category, Product
from pazar.channels.content_types import OMNITRON_MODELS, omnitron_app_label
from pazar.channels.dbobjects import COUNT_TABLE
from pazar.channels.models import (
    ActionStatus,
    BatchRequest,
    CatalogItem,
    Channel,
    IntegrationAction,
    MarketplaceAttributeConfig,
    MarketplaceAttributeSetConfig,
    MarketplaceAttributeValue,
)
from pazar.core.prepared import PreparedLookup, PreparedPage
from pazar.images import selectors as image_selectors
from pazar.inventory import selectors as inventory_selectors
from pazar.pricing import selectors as pricing_selectors


def content_types() -> QuerySet[ContentType]:
    """Every content type, one per name of OMNITRON_MODELS: the one Omnitron's clients mean."""
    others = Q(pk__in=[])
    for name in OMNITRON_MODELS:
        others |= Q(model=name) & ~Q(app_label=omnitron_app_label(name))
    return ContentType.objects.exclude(others).order_by("pk")


def content_type_named(name: str) -> ContentType | None:
    return content_types().filter(model=name).first()


def content_types_named(names: set[str]) -> dict[str, ContentType]:
    """`{name: content type}` of those of `names` that are known (as `content_types()` says).

    An Omnitron name is exactly `(omnitron_app_label(name), name)`: read from Django's
    content-type cache, no statement once the process has seen it; other names are queried.
    """
    found, others = {}, set()
    for name in names:
        if name not in OMNITRON_MODELS:
            others.add(name)
            continue
        with contextlib.suppress(ContentType.DoesNotExist):
            found[name] = ContentType.objects.get_by_natural_key(omnitron_app_label(name), name)
    if others:
        found.update((ct.model, ct) for ct in content_types().filter(model__in=others))
    return found


# --- the rows a channel's URL names (read on every call of a connector: SQL compiled once) --

_CHANNEL = PreparedLookup(lambda pk: Channel.objects.select_related("catalog").filter(pk=pk), int)
_BATCH_REQUEST = PreparedLookup(
    lambda channel_id, pk: BatchRequest.objects.filter(channel_id=channel_id, pk=pk), int, int
)


def channel_with_catalog(pk: int) -> Channel | None:
    """The channel with this id and its catalog (one statement), or None."""
    return _CHANNEL.get(pk)


def channel_batch_request(*, channel: Channel, pk: int) -> BatchRequest | None:
    """The channel's batch request with this id, or None (another channel's too)."""
    return _BATCH_REQUEST.get(channel.pk, pk)


# --- what a channel sells -------------------------------------------------------------------


def _in_catalog(channel: Channel, product_column: str = "pk", from_pk=None):
    items = CatalogItem.objects.filter(
        catalog_id=channel.catalog_id, product_id=OuterRef(product_column)
    )
    if from_pk is not None:
        items = items.filter(product_id__gte=from_pk)
    return Exists(items)


def channel_products(channel: Channel, *, from_pk=None) -> QuerySet[Product]:
    """The products of the channel's catalog (never pre-products), by pk; read only: their
    group products' pks prefetched into a list (`GROUP_PRODUCT_LIST`). `from_pk` (a value or
    an expression): only those from it on, each side of the join bounded."""
    products = catalog_selectors.product_list()
    if from_pk is not None:
        products = products.filter(pk__gte=from_pk)
    return (
        products.filter(_in_catalog(channel, from_pk=from_pk))
        .prefetch_related(None)
        .prefetch_related(_group_products())
    )


def _group_products() -> Prefetch:
    return Prefetch(
        "group_products",
        queryset=Product.objects.only("pk").order_by(),
        to_attr=catalog_selectors.GROUP_PRODUCT_LIST,
    )


def channel_prices(channel: Channel, *, extra: bool = False, price_list_ids=None):
    """Prices of the catalog's products in its price list, or (`extra`) in its extra lists."""
    catalog = channel.catalog
    if extra:
        lists = set(catalog.extra_price_lists.values_list("pk", flat=True))
        lists = lists & set(price_list_ids) if price_list_ids else lists
    else:
        lists = {catalog.price_list_id}
    prices = pricing_selectors.product_prices(price_list_ids=lists)
    return prices.filter(_in_catalog(channel, "product_id"))


def channel_stocks(channel: Channel, *, extra: bool = False, stock_list_ids=None):
    catalog = channel.catalog
    if extra:
        lists = set(catalog.extra_stock_lists.values_list("pk", flat=True))
        lists = lists & set(stock_list_ids) if stock_list_ids else lists
    else:
        lists = {catalog.stock_list_id}
    stocks = inventory_selectors.product_stocks(stock_list_ids=lists)
    return stocks.filter(_in_catalog(channel, "product_id"))


def channel_images(channel: Channel):
    return image_selectors.active_product_images().filter(_in_catalog(channel, "product_id"))


def channel_categories(channel: Channel) -> QuerySet[Category]:
    """Every category node; the channel's tree is the subtree of its root (see `node_path`)."""
    return Category.objects.order_by("pk")


# --- delta feeds ----------------------------------------------------------------------------

INSERTS, UPDATES, INSERTS_OR_UPDATES = "inserts", "updates", "inserts_or_updates"
FEEDS = (INSERTS, UPDATES, INSERTS_OR_UPDATES)


def delta(
    queryset: QuerySet, *, channel: Channel, feed: str, per_row: bool = False, from_pk=None
) -> QuerySet:
    """The rows of `queryset` the channel has to be sent (omnitron.md §11 "Delta feeds").
    `per_row`: `inserts_or_updates` asks "changed" of each taken row (a page read by its keys
    first), not of the set of all changed ids (any other read, counts included). `from_pk`
    (`inserts` only; a value or an expression): the rows from it on, the taken ids read from
    it on too (not every action of the channel).

    * held: the object's action is `processing` (an open batch has it): in no feed;
    * sent: its action succeeded once (or carries a remote id);
    * inserts: never sent, not held;
    * updates: sent, not held, and changed (`modified_date`) after the version the channel has.
    An object changed while a batch holds it is an update once the batch closes: the batch
    records the version the connector read, not the one current at closing.
    """
    # A proxy model has its own content type (claims' CancellationRequest is Omnitron's name
    # for a claim): the feed reads the actions recorded under the name the channel used.
    content_type = ContentType.objects.get_for_model(queryset.model, for_concrete_model=False)
    of_channel = IntegrationAction.objects.filter(
        channel_id=channel.pk, content_type_id=content_type.pk
    )
    sent = Q(status=ActionStatus.SUCCESS) | Q(remote_id__isnull=False)
    # Both sets are uncorrelated subqueries (`pk [NOT] IN (…)`): the database builds each once
    # per query and probes it per row, whatever its statistics say, and the page and its exact
    # count read the catalog's rows from an index. (A correlated NOT EXISTS lets PostgreSQL pick
    # a nested loop over all actions when it believes the table empty, as it does while a new
    # channel's first sync fills it: quadratic; a correlated EXISTS for "changed" is run once
    # per catalog row, 1.2 s to count `inserts_or_updates/` at 100 000 products.)
    taken_ids = of_channel.filter(Q(status=ActionStatus.PROCESSING) | sent)
    if from_pk is not None:
        if feed != INSERTS:
            raise ValueError("Only `inserts` reads its rows from a bound.")
        queryset = queryset.filter(pk__gte=from_pk)
        taken_ids = taken_ids.filter(object_id__gte=from_pk)
    taken_ids = taken_ids.values("object_id")
    # Sent, not held, and changed after the version the channel has: found from the channel's
    # sent actions (few of a large catalog), each looking its object up by primary key.
    newer = queryset.model._base_manager.filter(
        pk=OuterRef("object_id"), updated_at__gt=OuterRef("version_date")
    )
    changed_ids = (
        of_channel.exclude(status=ActionStatus.PROCESSING)
        .filter(sent)
        .filter(Q(version_date__isnull=True) | Q(Exists(newer)))
        .values("object_id")
    )
    if feed == UPDATES:
        return queryset.filter(pk__in=changed_ids)
    not_taken = ~Q(pk__in=taken_ids)
    if feed == INSERTS:
        return queryset.filter(not_taken)
    if not per_row:
        return queryset.filter(not_taken | Q(pk__in=changed_ids))
    # Both, for a page read by its keys first (`product_feed_page`): a row not taken, or taken
    # and changed, "changed" asked of the taken rows only, each by its own action (the unique
    # index of channel, type and object) against the row's own `updated_at`: the page walks
    # the rows before it and stops, where the set of all changed ids probed every sent action's
    # object before the first row (O(sent) per page). Not for counts (see above).
    changed = of_channel.filter(object_id=OuterRef("pk")).exclude(status=ActionStatus.PROCESSING)
    changed = changed.filter(sent).filter(
        Q(version_date__isnull=True) | Q(version_date__lt=OuterRef("updated_at"))
    )
    return queryset.filter(not_taken | Q(Exists(changed)))


def product_feed_count(channel: Channel, *, feed: str, product_type: str | None = None) -> int:
    """The count of the channel's `inserts/`, `updates/` or `inserts_or_updates/` feed of
    products (of one type when named), from the counts the database keeps
    (`pazar.channels.dbobjects`): the same number as
    `delta(channel_products(channel), channel=channel, feed=feed).count()`, without counting.
    `inserts_or_updates/` is the union of two disjoint sets (never sent, or sent and changed):
    the sum of both counts."""
    column = {INSERTS: "count", UPDATES: "updates", INSERTS_OR_UPDATES: "count + updates"}[feed]
    sql = f"SELECT coalesce(sum({column}), 0) FROM {COUNT_TABLE} WHERE channel_id = %s"  # noqa: S608
    params: list = [channel.pk]
    if product_type is not None:
        sql += " AND product_type = %s"
        params.append(product_type)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


# Above every product id: the bound of a channel with no unsent product (of the type).
_NONE_UNSENT = 2**63 - 1


def _first_unsent(channel_id, product_type=None) -> RawSQL:
    """A lower bound of the ids of the channel's `inserts/` products (of one type when named),
    kept with their counts (`pazar.channels.dbobjects`, its `low`): a page starts there, not
    walking every product sent before it (10 000 sent: 10 000 rows skipped for each page)."""
    sql = f"SELECT min(low) FROM {COUNT_TABLE} WHERE channel_id = %s"  # noqa: S608
    params = [channel_id]
    if product_type is not None:
        sql += " AND product_type = %s"
        params.append(product_type)
    return RawSQL(  # noqa: S611 - constant SQL, the values bound
        f"coalesce(({sql}), {_NONE_UNSENT})", params, output_field=models.BigIntegerField()
    )


def _feed_rows(feed: str, typed: bool, columns: tuple[str, ...]) -> PreparedPage:
    """The product feed `feed` of a channel, of one type (`typed`) or all, with `columns`
    only, by markers: channel, catalog (and type). `inserts/` from its kept lower bound."""

    def build(channel_id, catalog_id, product_type=None):
        channel = Channel(pk=channel_id, catalog_id=catalog_id)
        bound = _first_unsent(channel_id, product_type) if feed == INSERTS else None
        rows = delta(
            channel_products(channel, from_pk=bound).prefetch_related(None).only(*columns),
            channel=channel,
            feed=feed,
            per_row=True,
            from_pk=bound,
        )
        return rows if product_type is None else rows.filter(product_type=product_type)

    return PreparedPage(build, int, int, *([str] if typed else []))


_FEED_PAGES: dict[tuple, PreparedPage] = {}


def product_feed_page(
    channel: Channel,
    *,
    feed: str,
    columns: tuple[str, ...],
    product_type: str | None = None,
    offset: int,
    limit: int,
) -> list[Product]:
    """Rows `[offset:offset + limit]` of `delta(channel_products(channel), channel=channel,
    feed=feed)` (of one type when named) with only `columns` loaded, and their group
    products' pks (`GROUP_PRODUCT_LIST`): the rows of the ORM's page, by SQL compiled once
    per connection that walks the rows before the page by primary key only
    (`PreparedPage`)."""
    key = (feed, product_type is not None, columns)
    page = _FEED_PAGES.get(key)
    if page is None:
        page = _FEED_PAGES.setdefault(key, _feed_rows(*key))
    values = [channel.pk, channel.catalog_id]
    if product_type is not None:
        values.append(product_type)
    products = page.page(*values, offset=offset, limit=limit)
    if products:
        _read_group_products(products)
    return products


def _read_group_products(products: list[Product]) -> None:
    """Each product's group products into `GROUP_PRODUCT_LIST` (`Product`s of their pk only),
    as `channel_products`' prefetch leaves them: one statement, read from the link table (its
    foreign keys hold every linked product to exist)."""
    through = Product.group_products.through
    source = connection.ops.quote_name(through._meta.get_field("from_product").column)
    target = connection.ops.quote_name(through._meta.get_field("to_product").column)
    table = connection.ops.quote_name(through._meta.db_table)
    pks = [product.pk for product in products]
    db = products[0]._state.db
    if connection.vendor == "postgresql":
        where, params = f"{source} = ANY(%s)", [pks]
    else:
        where, params = f"{source} IN ({', '.join(['%s'] * len(pks))})", pks
    members: dict[int, list[Product]] = {pk: [] for pk in pks}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {source}, {target} FROM {table} WHERE {where}", params)  # noqa: S608
        for owner, member in cursor.fetchall():
            members[owner].append(Product.from_db(db, ["id"], (member,)))
    for product in products:
        setattr(product, catalog_selectors.GROUP_PRODUCT_LIST, members[product.pk])


def unsent_product_count(channel: Channel, *, product_type: str | None = None) -> int:
    """The kept count of the channel's `inserts/` feed of products (`product_feed_count`)."""
    return product_feed_count(channel, feed=INSERTS, product_type=product_type)


def deleted_actions(*, channel: Channel, model_name: str | None) -> QuerySet[IntegrationAction]:
    """Actions whose object no longer exists (of one model when named)."""
    actions = integration_actions(channel)
    found = actions.none()
    types = content_types().filter(pk__in=actions.values("content_type"))
    if model_name:
        types = types.filter(model=model_name)
    for content_type in types:
        model = content_type.model_class()
        if model is None or not isinstance(model._meta.pk, models.IntegerField):
            continue
        found |= actions.filter(content_type=content_type).exclude(
            Exists(model._default_manager.filter(pk=OuterRef("object_id")))
        )
    return found


def integration_actions(channel: Channel) -> QuerySet[IntegrationAction]:
    return (
        IntegrationAction.objects.filter(channel=channel)
        .select_related("content_type", "batch_request")
        .order_by("pk")
    )


# --- category nodes -------------------------------------------------------------------------

PATH_STEP = 10


def node_path(category: Category) -> str:
    """A materialized path: each ancestor's pk, 10 digits, root first; a subtree shares its prefix."""
    steps = []
    seen = set()
    node = category
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        steps.append(f"{node.pk:0{PATH_STEP}d}")
        node = node.parent
    return "".join(reversed(steps))


# --- mapped products ------------------------------------------------------------------------


class MappingFailed(Exception):
    """A product cannot be described in the marketplace's attributes (the API answers 406)."""


def mapped_product(*, channel: Channel, product: Product) -> dict:
    """A product in the marketplace's words (omnitron.md §11 "Mapped products").

    Its attribute set is the one configured for its category node
    (`attribute_set_configs`); each attribute of that set takes the product's value of the
    attribute its schema names (`{"attribute": "<key>"}`), else of the attribute of the same
    name. A value known among the marketplace attribute's values is mapped to it. A required
    attribute without a value fails the mapping (MappingFailed).
    """
    data = {
        "pk": product.pk,
        "id": product.pk,
        "sku": product.sku,
        "mapped_attributes": {},
        "mapped_attribute_values": {},
        "attribute_set_id": None,
        "attribute_set_name": None,
        "attribute_set_remote_id": None,
        "modified_date": product.updated_at.isoformat().replace("+00:00", "Z"),
    }
    node_type = content_type_named("categorynode")
    config = (
        MarketplaceAttributeSetConfig.objects.filter(
            attribute_set__channel=channel, content_type=node_type, object_id=product.category_id
        )
        .select_related("attribute_set")
        .order_by("pk")
        .first()
        if product.category_id and node_type
        else None
    )
    if config is None:
        return data
    attribute_set = config.attribute_set
    data.update(
        attribute_set_id=attribute_set.pk,
        attribute_set_name=attribute_set.name,
        attribute_set_remote_id=attribute_set.remote_id,
    )
    missing = []
    configs = MarketplaceAttributeConfig.objects.filter(attribute_set=attribute_set).select_related(
        "attribute", "locale_attribute_schema"
    )
    for attribute_config in configs.order_by("pk"):
        attribute = attribute_config.attribute
        schema = getattr(attribute_config.locale_attribute_schema, "schema", None) or {}
        key = schema.get("attribute") or attribute.name
        value = (product.attributes or {}).get(key)
        if value in (None, "", []):
            if attribute_config.is_required:
                missing.append(attribute.name)
            continue
        data["mapped_attributes"][attribute.name] = value
        known = (
            MarketplaceAttributeValue.objects.filter(attribute=attribute)
            .filter(Q(value=str(value)) | Q(label=str(value)))
            .first()
        )
        data["mapped_attribute_values"][str(attribute.pk)] = {
            "attribute_name": attribute.name,
            "label": known.label if known else str(value),
            "value": known.value if known else str(value),
            "attribute_remote_id": attribute_config.attribute_remote_id or attribute.remote_id,
        }
    if missing:
        raise MappingFailed(
            f"Product {product.sku} has no value for the required attribute(s) "
            f"{', '.join(missing)} of attribute set {attribute_set.name}."
        )
    return data


# --- the back office's channel page ---------------------------------------------------------

OVERVIEW_ROWS = 20


def channel_overview(channel: Channel) -> dict:
    """What the channel's page shows: its latest batch requests, its integration actions
    counted by model and status, its latest error reports, and the products waiting to be sent
    (the first of `inserts/` and `updates/`; the page shows no total for them)."""
    from pazar.channels.models import BatchRequest, ErrorReport

    counts: dict[str, dict[str, int]] = {}
    rows = (
        IntegrationAction.objects.filter(channel=channel)
        .values_list("content_type__model", "status")
        .annotate(n=models.Count("pk"))
        .order_by("content_type__model", "status")
    )
    for model, status, n in rows:
        counts.setdefault(model, {})[status or "—"] = n
    waiting = {}
    for feed in (INSERTS, UPDATES):
        found = list(
            delta(channel_products(channel), channel=channel, feed=feed)
            .prefetch_related(None)
            .only("pk", "sku", "name", "updated_at")[: OVERVIEW_ROWS + 1]
        )
        waiting[feed] = {"rows": found[:OVERVIEW_ROWS], "more": len(found) > OVERVIEW_ROWS}
    return {
        "batches": list(
            BatchRequest.objects.filter(channel=channel).order_by("-pk")[:OVERVIEW_ROWS]
        ),
        "batch_counts": dict(
            BatchRequest.objects.filter(channel=channel)
            .values_list("status")
            .annotate(n=models.Count("pk"))
            .order_by("status")
        ),
        "action_counts": counts,
        "error_reports": list(
            ErrorReport.objects.filter(channel=channel).order_by("-pk")[:OVERVIEW_ROWS]
        ),
        "waiting": waiting,
    }
