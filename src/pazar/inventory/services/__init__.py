"""Writes of the inventory app: stock lists (`stock_lists`), product stocks (`stocks`), and the
stock sales take and give back (`sales`).

Product stocks are written in bulk by one pair of services: `product_stocks_check` (the rules,
the same for every API, and a result per row) and `product_stocks_write`; Omnitron's API and
Whippy Ware call `product_stocks_upsert` (both, all-or-nothing), the Seller Center's batches
call them row by row.
"""

from pazar.inventory.services.sales import (
    SaleLine,
    stock_put_back,
    stock_sale_reported,
    stock_take,
)
from pazar.inventory.services.stock_lists import (
    stock_list_create,
    stock_list_delete,
    stock_list_sellers_set,
    stock_list_update,
    stock_list_upsert,
)
from pazar.inventory.services.stocks import (
    product_stock_delete,
    product_stock_update,
    product_stocks_check,
    product_stocks_upsert,
    product_stocks_write,
    product_stocks_write_plain,
    stock_quantity_plain,
)

__all__ = [
    "SaleLine",
    "product_stock_delete",
    "product_stock_update",
    "product_stocks_check",
    "product_stocks_upsert",
    "product_stocks_write",
    "product_stocks_write_plain",
    "stock_list_create",
    "stock_list_delete",
    "stock_list_sellers_set",
    "stock_list_update",
    "stock_list_upsert",
    "stock_put_back",
    "stock_quantity_plain",
    "stock_sale_reported",
    "stock_take",
]
