"""Writes of the orders app: cargo companies (`cargo`), orders and their items (`orders`)."""

from pazar.orders.services.cargo import (
    cargo_company_create,
    cargo_company_delete,
    cargo_company_update,
    cargo_company_upsert,
)
from pazar.orders.services.orders import (
    order_create,
    order_item_mapping_create,
    order_item_split,
    order_item_units_return,
    order_item_update,
    order_items_bulk_update,
    order_items_cancel,
    order_items_move,
    order_shipping_info_set,
    order_update,
)

__all__ = [
    "cargo_company_create",
    "cargo_company_delete",
    "cargo_company_update",
    "cargo_company_upsert",
    "order_create",
    "order_item_mapping_create",
    "order_item_split",
    "order_item_units_return",
    "order_item_update",
    "order_items_bulk_update",
    "order_items_cancel",
    "order_items_move",
    "order_shipping_info_set",
    "order_update",
]
