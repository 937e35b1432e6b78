"""Writes of the fulfilment app: placing an order with its packages (`intake`), the packages'
actions (`packages`) and their change log and events (`changes`)."""

from pazar.fulfilment.services.intake import order_place, packages_create
from pazar.fulfilment.services.packages import (
    package_deliver,
    package_delivery_fail,
    package_invoice,
    package_items_cancel,
    package_items_choose,
    package_items_read,
    package_ready,
    package_ship,
    package_split,
    package_units_cancel,
    packages_lock,
)

__all__ = [
    "order_place",
    "package_deliver",
    "package_delivery_fail",
    "package_invoice",
    "package_items_cancel",
    "package_items_choose",
    "package_items_read",
    "package_ready",
    "package_ship",
    "package_split",
    "package_units_cancel",
    "packages_create",
    "packages_lock",
]
