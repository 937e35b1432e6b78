"""Reads of the channels app: content types, and what a sales channel sells (its feeds)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet

from pazar.catalog import selectors as catalog_selectors
from pazar.catalog.models import Category, Product
from pazar.channels.content_types import OMNITRON_MODELS, omnitron_app_label
from pazar.channels.models import ActionStatus, CatalogItem, Channel, IntegrationAction
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


# --- what a channel sells -------------------------------------------------------------------


def _in_catalog(channel: Channel, product_column: str = "pk"):
    return Exists(
        CatalogItem.objects.filter(
            catalog_id=channel.catalog_id, product_id=OuterRef(product_column)
        )
    )


def channel_products(channel: Channel) -> QuerySet[Product]:
    """The products of the channel's catalog (never pre-products), by pk."""
    return catalog_selectors.product_list().filter(_in_catalog(channel))


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


def delta(queryset: QuerySet, *, channel: Channel, feed: str) -> QuerySet:
    """The rows of `queryset` the channel has to be sent (omnitron.md §11 "Delta feeds").

    * held: the object's action is `processing` (an open batch has it): in no feed;
    * sent: its action succeeded once (or carries a remote id);
    * inserts: never sent, not held;
    * updates: sent, not held, and changed (`modified_date`) after the version the channel has.
    An object changed while a batch holds it is an update once the batch closes: the batch
    records the version the connector read, not the one current at closing.
    """
    content_type = ContentType.objects.get_for_model(queryset.model)
    actions = IntegrationAction.objects.filter(
        channel_id=channel.pk, content_type_id=content_type.pk, object_id=OuterRef("pk")
    )
    taken = Exists(
        actions.filter(
            Q(status__in=[ActionStatus.PROCESSING, ActionStatus.SUCCESS])
            | Q(remote_id__isnull=False)
        )
    )
    changed = Exists(
        actions.exclude(status=ActionStatus.PROCESSING)
        .filter(Q(status=ActionStatus.SUCCESS) | Q(remote_id__isnull=False))
        .filter(Q(version_date__isnull=True) | Q(version_date__lt=OuterRef("updated_at")))
    )
    condition = {INSERTS: ~taken, UPDATES: changed, INSERTS_OR_UPDATES: ~taken | changed}[feed]
    return queryset.filter(condition)


def deleted_actions(*, channel: Channel, model_name: str | None) -> QuerySet[IntegrationAction]:
    """Actions whose object no longer exists (of one model when named)."""
    actions = integration_actions(channel)
    found = actions.none()
    types = content_types().filter(model=model_name) if model_name else content_types()
    for content_type in types:
        model = content_type.model_class()
        if model is None:
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
