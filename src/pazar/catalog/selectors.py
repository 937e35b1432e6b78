"""Reads of the category tree and of the attributes products are validated against."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Prefetch, QuerySet

from pazar.catalog.models import (
    ApprovalStatus,
    Attribute,
    AttributeConfig,
    AttributeSet,
    AttributeValue,
    Category,
    CategoryAttribute,
    Product,
    ProductRevision,
    revision_data,
)
from pazar.catalog.services.approval import PRE_PRODUCTS
from pazar.catalog.services.seller_products import SAVED_FIELDS, ProductRef
from pazar.core.bulk import chunks
from pazar.core.sql import MAX_PARAMS, placeholder, raw_cursor, values_where_in


def category_tree() -> list[dict]:
    """Every category as `{"category", "children"}` nodes, roots first, in one query."""
    categories = list(Category.objects.all())
    nodes = {category.pk: {"category": category, "children": []} for category in categories}
    roots = []
    for category in categories:
        node = nodes[category.pk]
        parent = nodes.get(category.parent_id)
        (parent["children"] if parent else roots).append(node)
    return roots


@dataclass
class AttributeRule:
    """How one attribute applies to the products of a category or an attribute set.

    `link` is the CategoryAttribute or AttributeConfig (`is_required`, `is_variant`, …).
    """

    link: CategoryAttribute | AttributeConfig
    values: list[AttributeValue] = field(default_factory=list)
    # label/value (case-folded) → True, for choice types
    choices: set[str] = field(default_factory=set)

    @property
    def attribute(self):
        return self.link.attribute

    @property
    def is_required(self) -> bool:
        return self.link.is_required or self.link.attribute.is_required

    def value_of(self, text) -> AttributeValue | None:
        """The allowed value `text` names, by its value or else its label (ignoring case)."""
        folded = str(text).casefold()
        by_value = next((v for v in self.values if v.value.casefold() == folded), None)
        return by_value or next((v for v in self.values if v.label.casefold() == folded), None)


def _rule(link, values: list[AttributeValue]) -> AttributeRule:
    return AttributeRule(
        link=link,
        values=values,
        choices={text.casefold() for value in values for text in (value.label, value.value)},
    )


def _values_by_attribute(attribute_ids) -> dict[int, list[AttributeValue]]:
    values: dict[int, list[AttributeValue]] = {}
    for value in AttributeValue.objects.filter(attribute_id__in=attribute_ids).order_by(
        "order", "value"
    ):
        values.setdefault(value.attribute_id, []).append(value)
    return values


def product_attribute_rules(
    *, attribute_sets: list[AttributeSet], keys, pre_attributes: bool = False
) -> dict[str, AttributeRule]:
    """Attribute key → rule for an Omnitron product, in three queries at most.

    With attribute sets, their configs (an earlier set wins over a later one on the same
    attribute); without, every attribute named in `keys` applies, none required. With
    `pre_attributes`, attributes marked `pre_attribute` named in `keys` also apply.
    """
    links: dict[str, AttributeConfig] = {}
    configs = AttributeConfig.objects.filter(
        attribute_set__in=[s.pk for s in attribute_sets]
    ).select_related("attribute")
    order = {s.pk: position for position, s in enumerate(attribute_sets)}
    for config in sorted(configs, key=lambda c: -order[c.attribute_set_id]):
        links[config.attribute.key] = config
    loose = Attribute.objects.filter(key__in=[k for k in keys if k not in links])
    if attribute_sets:
        loose = loose.filter(pre_attribute=True) if pre_attributes else loose.none()
    for attribute in loose:
        links[attribute.key] = AttributeConfig(attribute=attribute)
    values = _values_by_attribute({link.attribute_id for link in links.values()})
    return {key: _rule(link, values.get(link.attribute_id, [])) for key, link in links.items()}


def category_rules(categories: list[Category]) -> dict[int, dict[str, AttributeRule]]:
    """Per category pk: attribute key → rule, the category's own links winning over its ancestors'.

    Three queries whatever the number of categories: all categories (for ancestry), their
    attribute links, and the values of choice attributes.
    """
    if not categories:
        return {}
    parents = dict(Category.objects.values_list("pk", "parent_id"))

    def lineage(pk):
        chain = []
        while pk is not None and pk not in chain:
            chain.append(pk)
            pk = parents.get(pk)
        return chain

    lineages = {category.pk: lineage(category.pk) for category in categories}
    needed = {pk for chain in lineages.values() for pk in chain}
    links = list(
        CategoryAttribute.objects.filter(category_id__in=needed)
        .select_related("attribute")
        .order_by("order", "pk")
    )
    values_by_attribute = _values_by_attribute({link.attribute_id for link in links})
    links_by_category: dict[int, list[CategoryAttribute]] = {}
    for link in links:
        links_by_category.setdefault(link.category_id, []).append(link)

    rules = {}
    for category_pk, chain in lineages.items():
        merged: dict[str, AttributeRule] = {}
        for ancestor in reversed(chain):  # root first, so nearer categories override
            for link in links_by_category.get(ancestor, []):
                merged[link.attribute.key] = _rule(
                    link, values_by_attribute.get(link.attribute_id, [])
                )
        rules[category_pk] = merged
    return rules


# The attribute a read-only list may prefetch a product's group products into (a list of
# products, pks only): the serializer reads it as is, without a related manager and a queryset
# per product.
GROUP_PRODUCT_LIST = "group_product_list"


def product_list() -> QuerySet[Product]:
    """Omnitron's products (approved, productized), by pk, with their group products' pks."""
    return (
        Product.objects.productized()
        .prefetch_related(Prefetch("group_products", queryset=Product.objects.only("pk")))
        .order_by("pk")
    )


def pre_product_list() -> QuerySet[Product]:
    """The approval queue: sellers' products and the operator's pre-products.

    Seller and pending change are loaded with them.
    """
    pending = ProductRevision.objects.filter(status=ApprovalStatus.PENDING)
    return (
        Product.objects.filter(PRE_PRODUCTS)
        .select_related("seller")
        .prefetch_related(Prefetch("revisions", queryset=pending, to_attr="pending_revisions"))
        .order_by("pk")
    )


def pending_changes(product: Product) -> dict | None:
    """The fields a pending revision would change (`{field: proposed value}`), or None."""
    revisions = getattr(product, "pending_revisions", None)
    if revisions is None:
        revisions = list(product.revisions.filter(status=ApprovalStatus.PENDING))
    if not revisions:
        return None
    current = revision_data(product)
    return {
        field: value for field, value in revisions[0].data.items() if current.get(field) != value
    }


def omnitron_products_by_sku(skus) -> tuple[dict[str, Product], set[str]]:
    """Resolve SKUs the way Omnitron's integration (i1) APIs address products.

    The operator's own product (no seller) with that SKU wins; otherwise the one seller product
    carrying it. Returns `({sku: product}, ambiguous)`: a SKU several sellers use, with no
    operator product, is in `ambiguous` (callers answer with an error naming the v1 id API).
    Unknown SKUs are simply absent. One query whatever the number of SKUs; the products carry
    only `pk`, `sku` and `seller_id` (what writes keyed by product need).
    """
    skus = {sku for sku in skus if isinstance(sku, str)}
    found: dict[str, Product] = {}
    ambiguous: set[str] = set()
    if not skus:
        return found, ambiguous
    candidates = Product.objects.filter(sku__in=skus).only("pk", "sku", "seller_id")
    for product in candidates.order_by("sku", "pk"):
        current = found.get(product.sku)
        if product.seller_id is None:
            found[product.sku] = product
            ambiguous.discard(product.sku)
        elif current is None:
            found[product.sku] = product
        elif current.seller_id is not None:
            ambiguous.add(product.sku)
    for sku in ambiguous:
        found.pop(sku, None)
    return found, ambiguous


def seller_products_stored(*, seller, skus) -> dict[str, dict]:
    """The seller's products of these SKUs as `seller_products_save` takes them, by SKU (plain
    values: no model instance per product): `id`, `uuid`, `sku` and `approved` of each, and
    all the SAVED_FIELDS of an approved one, whose change may become a revision compared with
    them. The JSON columns of the others are not read: a change overwrites only what it sets."""
    stored = {
        sku: {"id": pk, "uuid": uuid, "sku": sku, "approved": approved}
        for pk, uuid, sku, approved in values_where_in(
            Product,
            fields=["id", "uuid", "sku", "approved"],
            equal={"seller": seller.pk},
            field="sku",
            values=skus,
        )
    }
    approved = [values["id"] for values in stored.values() if values["approved"]]
    if approved:
        for values in Product.objects.filter(pk__in=approved).values(*SAVED_FIELDS):
            stored[values["sku"]] = values
    return stored


def seller_product_refs(*, seller, skus) -> dict[str, ProductRef]:
    """The seller's products of these SKUs by SKU: pk, uuid and SKU only."""
    products = Product.objects.filter(seller=seller, sku__in=skus)
    return {
        ref.sku: ref for ref in map(ProductRef._make, products.values_list("pk", "uuid", "sku"))
    }


def seller_product_keys(*, seller, skus) -> dict[str, tuple[int, str]]:
    """`seller_product_refs` for a hot path: `{sku: (pk, uuid as text, 8-4-4-4-12)}`, read by
    one statement whose SKUs go as one array (PostgreSQL) or a table of `VALUES` (SQLite),
    without a query to compile nor a UUID object per product."""
    skus = list(skus)  # in the rows' order: neighbours in the index (a SKU twice is found twice)
    if not skus:
        return {}
    table = connection.ops.quote_name(Product._meta.db_table)
    seller_pk = Product._meta.get_field("seller").target_field.get_db_prep_value(
        seller.pk, connection
    )
    with raw_cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT sku, id, uuid::text FROM {table} WHERE seller_id = %s AND sku = ANY(%s)",  # noqa: S608
                [seller_pk, skus],
            )
            return {sku: (pk, uuid_text) for sku, pk, uuid_text in cursor.fetchall()}
        found: dict[str, tuple[int, str]] = {}
        mark = placeholder()
        for chunk in chunks(skus, MAX_PARAMS - 1):
            # The SKUs as a table looked up in the (seller, SKU) index one by one: less for
            # SQLite to plan and run than an `IN` of as many values. The products found come
            # back as one row of three lists, each product at the same place in each (one
            # `group_concat` step per product): three texts split in C, not a tuple and three
            # objects per product. SQLite keeps a UUID as its 32 hex digits (`_dashed`).
            joined = f"FROM (VALUES {', '.join([f'({mark})'] * len(chunk))}) AS v CROSS JOIN "
            joined += f"{table} AS p ON p.seller_id = {mark} AND p.sku = v.column1"
            params = [*chunk, seller_pk]
            cursor.execute(
                "SELECT group_concat(p.sku, char(31)), group_concat(p.id), group_concat(p.uuid) "
                + joined,
                params,
            )
            sku_list, pk_list, uuid_list = cursor.fetchone()
            if pk_list is None:
                continue  # none found
            pks = list(map(int, pk_list.split(",")))
            found_skus, hexes = sku_list.split("\x1f"), uuid_list.split(",")
            if not len(found_skus) == len(hexes) == len(pks):  # a separator in a SKU or UUID
                cursor.execute(f"SELECT p.sku, p.id, p.uuid {joined}", params)
                found_skus, pks, hexes = zip(*cursor.fetchall(), strict=True)
            found.update(zip(found_skus, zip(pks, _dashed(hexes), strict=True), strict=True))
    return found


def _dashed(hexes: Sequence[str]) -> list[str]:
    """UUIDs as SQLite keeps them (32 hex digits) as text 8-4-4-4-12, as `str(uuid)` writes
    them: the digits of all copied into one buffer by 32 strided slices (a loop in C each)
    instead of five slices and a format per UUID (or as many SQL functions per row)."""
    count = len(hexes)
    joined = "".join(hexes).encode()
    if len(joined) == 32 * count and set(map(len, hexes)) == {32}:  # 32 ASCII characters each
        text = bytearray(b"-" * (37 * count))
        for source, target in _DIGIT_PLACES:
            text[target::37] = joined[source::32]
        text[36::37] = b"\n" * count
        dashed = text.decode().split("\n")
        dashed.pop()  # after the last newline
        if len(dashed) == count:  # no newline among the digits
            return dashed
    return [f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}" for h in hexes]


# Where each of a UUID's 32 hex digits goes in its 36-character text: past the dashes.
_DIGIT_PLACES = tuple(enumerate(place for place in range(36) if place not in (8, 13, 18, 23)))
