"""Writes of sellers' packages, and the placing of an order (intake plus packages).

`order_place` is what a sales channel's `create_orders` calls: the orders app stores the order
and takes its stock, then the items whose product is a seller's offer go into that seller's
package, all in one transaction.
"""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction

from pazar.channels.models import Channel
from pazar.core.transactions import atomic, atomic_sparing_savepoints
from pazar.fulfilment.models import (
    Package,
    PackageEvent,
    PackageItem,
    PackageStatus,
)
from pazar.fulfilment.services.changes import changes_lock, packages_created
from pazar.orders.models import Order, OrderItem
from pazar.orders.services import order_create

NUMBER_DIGITS = 16
NUMBER_ATTEMPTS = 8


@atomic_sparing_savepoints
def order_place(
    *, channel: Channel, order: dict, items: list[dict], user=None
) -> tuple[Order, bool]:
    """Store a channel's order (see `orders.services.order_create`) and its sellers' packages;
    `(order, created)`. A repeated order is returned untouched."""
    placed, created, order_items = order_create(
        channel=channel, order=order, items=items, user=user
    )
    if created:
        packages_create(order=placed, items=order_items, user=user)
    return placed, created


def _new_number() -> str:
    return str(10 ** (NUMBER_DIGITS - 1) + secrets.randbelow(9 * 10 ** (NUMBER_DIGITS - 1)))


def _package_insert(**fields) -> Package:
    """A package with a fresh random 16-digit number; the unique index settles a clash."""
    [package] = _packages_insert([Package(**fields)])
    return package


def _packages_insert(packages: list[Package]) -> list[Package]:
    """The packages in one insert, each with a fresh random 16-digit number; on a clash (the
    unique index says so) the insert is rolled back to its savepoint and tried with new
    numbers."""
    for _ in range(NUMBER_ATTEMPTS):
        for package in packages:
            package.number = _new_number()
        try:
            with transaction.atomic():
                return Package.objects.bulk_create(packages)
        except IntegrityError:
            continue
    raise RuntimeError("no free package number after several attempts")


@atomic
def packages_create(*, order: Order, items: list[OrderItem] | None = None, user=None) -> list:
    """One package per seller of the order's offers, in status Preparing, its items numbered
    `<package number>-<n>` in item order. Items of the operator's own products get none.

    `items`: the order's items just written, with their products (read when not given). The
    sellers' change locks are taken once, all together in the fixed order, and each table is
    written with one insert for all the packages."""
    if items is None:
        items = list(order.items.select_related("product__seller").order_by("pk"))
    by_seller: dict = {}
    for item in sorted(items, key=lambda item: item.pk):
        if item.product.seller_id is not None:
            by_seller.setdefault(item.product.seller_id, []).append(item)
    if not by_seller:
        return []
    changes_lock(seller_ids=by_seller)  # all the order's sellers at once, in the fixed order
    grouped = sorted(by_seller.values(), key=lambda group: group[0].pk)
    packages = _packages_insert(
        [
            Package(order=order, seller=group[0].product.seller, status=PackageStatus.PREPARING)
            for group in grouped
        ]
    )
    PackageItem.objects.bulk_create(
        PackageItem(package=package, order_item=item, number=f"{package.number}-{n}")
        for package, group in zip(packages, grouped, strict=True)
        for n, item in enumerate(group, start=1)
    )
    PackageEvent.objects.bulk_create(
        PackageEvent(
            package=package,
            from_status=None,
            to_status=package.status,
            user=user,
            reason="order placed",
        )
        for package in packages
    )
    packages_created(packages=packages)
    return packages
