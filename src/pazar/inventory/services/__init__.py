"""Writes of the inventory app: stock lists (`stock_lists`), product stocks (`stocks`), and the
stock sales take and give back (`sales`).

`product_stocks_upsert(*, rows)` is the one bulk write of product stocks, shared by Omnitron's
API and Whippy Ware's stock lists.
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
    product_stocks_upsert,
)

__all__ = [
    "SaleLine",
    "product_stock_delete",
    "product_stock_update",
    "product_stocks_upsert",
    "stock_list_create",
    "stock_list_delete",
    "stock_list_sellers_set",
    "stock_list_update",
    "stock_list_upsert",
    "stock_put_back",
    "stock_sale_reported",
    "stock_take",
]
