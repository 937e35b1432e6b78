"""Writes of the inventory app: stock lists (`stock_lists`) and product stocks (`stocks`).

`product_stocks_upsert(*, rows)` is the one bulk write of product stocks, shared by Omnitron's
API and Whippy Ware's stock lists.
"""

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
    product_stocks_upsert,
)

__all__ = [
    "product_stock_delete",
    "product_stock_update",
    "product_stocks_upsert",
    "stock_list_create",
    "stock_list_delete",
    "stock_list_sellers_set",
    "stock_list_update",
    "stock_list_upsert",
]
