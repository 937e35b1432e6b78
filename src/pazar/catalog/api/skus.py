"""Rows of Omnitron's integration (i1) API name their product by SKU; writes need its pk."""

from __future__ import annotations

from pazar.catalog.selectors import omnitron_products_by_sku
from pazar.core.errors import RowErrors

UNKNOWN = 'No product with the SKU "{sku}".'
AMBIGUOUS = (
    "Several sellers' products have the SKU \"{sku}\"; write to {v1_path} with the product's "
    "id (`product`) instead."
)


def rows_with_product_ids(rows: list[dict], *, v1_path: str) -> list[dict]:
    """`rows` with `{"product": {"sku": …}}` (from `source="product.sku"`) as `product_id`.

    One query for all the SKUs. An unknown or ambiguous SKU is a `product_sku` error of its
    row, raised for all rows at once (`RowsInvalid`).
    """
    products, ambiguous = omnitron_products_by_sku(row["product"]["sku"] for row in rows)
    errors = RowErrors(len(rows))
    resolved = []
    for index, row in enumerate(rows):
        row = dict(row)
        sku = row.pop("product")["sku"]
        product = products.get(sku)
        if product is None:
            message = AMBIGUOUS if sku in ambiguous else UNKNOWN
            errors.add(index, "product_sku", message.format(sku=sku, v1_path=v1_path))
        else:
            row["product_id"] = product.pk
        resolved.append(row)
    errors.raise_if_any()
    return resolved
