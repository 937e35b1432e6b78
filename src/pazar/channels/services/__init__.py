"""Writes of channels, catalogs, catalog items and category trees (omnitron.md §9)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from pazar.catalog.models import Category, Product
from pazar.channels.error_codes import ErrorCode
from pazar.channels.models import Catalog, CatalogItem, CategoryTree, Channel
from pazar.core.bulk import existing_pks, repeated, stored_rows
from pazar.core.errors import ApplicationError, RowErrors, does_not_exist
from pazar.core.services import model_update
from pazar.inventory.models import StockList
from pazar.pricing.models import PriceList


def _delete_unless_used(instance, *, code: ErrorCode, message: str) -> None:
    try:
        instance.delete()
    except ProtectedError:
        raise ApplicationError(message, code=code) from None


# --- category trees -------------------------------------------------------------------------


@transaction.atomic
def category_tree_create(*, name: str, category_root: Category) -> CategoryTree:
    return CategoryTree.objects.create(name=name, category_root=category_root)


@transaction.atomic
def category_tree_update(*, category_tree: CategoryTree, data: dict) -> CategoryTree:
    model_update(instance=category_tree, fields=["name", "category_root"], data=data)
    return category_tree


@transaction.atomic
def category_tree_delete(*, category_tree: CategoryTree) -> None:
    """A tree a catalog or channel uses is kept: 400 `category_tree_in_use`."""
    _delete_unless_used(
        category_tree,
        code=ErrorCode.CATEGORY_TREE_IN_USE,
        message="This category tree is used by a catalog or a channel.",
    )


# --- catalogs -------------------------------------------------------------------------------

CATALOG_FIELDS = ["name", "price_list", "stock_list", "category_tree"]


@transaction.atomic
def catalog_create(
    *,
    name: str,
    price_list: PriceList,
    stock_list: StockList,
    category_tree: CategoryTree | None = None,
    extra_price_lists: Iterable[PriceList] = (),
    extra_stock_lists: Iterable[StockList] = (),
) -> Catalog:
    catalog = Catalog.objects.create(
        name=name, price_list=price_list, stock_list=stock_list, category_tree=category_tree
    )
    catalog.extra_price_lists.set(extra_price_lists)
    catalog.extra_stock_lists.set(extra_stock_lists)
    return catalog


@transaction.atomic
def catalog_update(*, catalog: Catalog, data: dict) -> Catalog:
    """Change a catalog; extra lists, when given, replace the catalog's extra lists."""
    changed = model_update(instance=catalog, fields=CATALOG_FIELDS, data=data)
    for name in ["extra_price_lists", "extra_stock_lists"]:
        if name in data:
            getattr(catalog, name).set(data[name])
            changed = True
    if changed:
        Catalog.objects.filter(pk=catalog.pk).update(updated_at=timezone.now())
        catalog.refresh_from_db(fields=["updated_at"])
    return catalog


@transaction.atomic
def catalog_delete(*, catalog: Catalog) -> None:
    """A catalog's items go with it; a catalog a channel sells from is kept (400)."""
    _delete_unless_used(
        catalog, code=ErrorCode.CATALOG_IN_USE, message="This catalog is used by a channel."
    )


# --- catalog items --------------------------------------------------------------------------

TWICE = "This product has another row for the same catalog in this request."
TAKEN = "The fields catalog, product must make a unique set."


@transaction.atomic
def catalog_items_add(*, rows: list[dict]) -> list[int]:
    """Put products into catalogs: rows `{catalog_id, product_id}`; return the new pks in order.

    All or nothing: an unknown catalog or product, a pair given twice or already in its catalog
    refuses the call with `RowsInvalid` (`{"<index>": {field: [message]}}`). One insert.
    """
    errors = RowErrors(len(rows))
    catalogs = existing_pks(Catalog, (row["catalog_id"] for row in rows))
    products = existing_pks(Product, (row["product_id"] for row in rows))
    pairs = [{"catalog": row["catalog_id"], "product": row["product_id"]} for row in rows]
    present = stored_rows(
        CatalogItem,
        key=["catalog", "product"],
        pairs=((pair["catalog"], pair["product"]) for pair in pairs),
        values=[],
    )
    for index, pair in enumerate(pairs):
        if pair["catalog"] not in catalogs:
            errors.add(index, "catalog", does_not_exist(pair["catalog"]))
        if pair["product"] not in products:
            errors.add(index, "product", does_not_exist(pair["product"]))
        if (pair["catalog"], pair["product"]) in present:
            errors.add(index, "non_field_errors", TAKEN)
    for index in repeated(pairs, ["catalog", "product"]):
        errors.add(index, "non_field_errors", TWICE)
    errors.raise_if_any()
    items = CatalogItem.objects.bulk_create(
        [CatalogItem(catalog_id=pair["catalog"], product_id=pair["product"]) for pair in pairs]
    )
    return [item.pk for item in items]


@transaction.atomic
def catalog_item_delete(*, catalog_item: CatalogItem) -> None:
    catalog_item.delete()


# --- channels -------------------------------------------------------------------------------

CHANNEL_FIELDS = ["name", "catalog", "channel_type", "conf", "category_tree", "is_active", "schema"]


@transaction.atomic
def channel_create(
    *,
    name: str,
    catalog: Catalog,
    channel_type: str = "web",
    conf: dict | None = None,
    category_tree: CategoryTree | None = None,
    is_active: bool = True,
    schema: dict | None = None,
) -> Channel:
    return Channel.objects.create(
        name=name,
        catalog=catalog,
        channel_type=channel_type,
        conf=conf or {},
        category_tree=category_tree,
        is_active=is_active,
        schema=schema or {},
    )


@transaction.atomic
def channel_update(*, channel: Channel, data: dict) -> Channel:
    """Change a channel; `conf` and `schema` are replaced whole, as given."""
    model_update(instance=channel, fields=CHANNEL_FIELDS, data=data)
    return channel
