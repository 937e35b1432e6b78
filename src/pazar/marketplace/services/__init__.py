"""Every write of the Seller Center: the five kinds of batch rows a seller sends."""

from pazar.marketplace.services.products import (
    BatchOutcome,
    apply_price_rows,
    apply_price_stock_rows,
    apply_product_delete_rows,
    apply_product_rows,
    apply_stock_batch,
    apply_stock_rows,
)

__all__ = [
    "BatchOutcome",
    "apply_price_rows",
    "apply_price_stock_rows",
    "apply_product_delete_rows",
    "apply_product_rows",
    "apply_stock_batch",
    "apply_stock_rows",
]
