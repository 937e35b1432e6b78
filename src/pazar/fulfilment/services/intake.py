"""Writes of sellers' packages, and the placing of an order (intake plus packages).

`order_place` is what a sales channel's `create_orders` calls: the orders app stores the order
and takes its stock, then the items whose product is a seller's offer go into that seller's
package, all in one transaction.
"""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction

from pazar.channels.models import Channel
from pazar.fulfilment.models import (
    Package,
    PackageChangeKind,
    PackageEvent,
    PackageItem,
    PackageStatus,
)
from pazar.fulfilment.services.changes import changes_lock, package_changed
from pazar.orders.models import Order
from pazar.orders.services import order_create

NUMBER_DIGITS = 16
NUMBER_ATTEMPTS = 8


@transaction.atomic
def order_place(
    *, channel: Channel, order: dict, items: list[dict], user=None
) -> tuple[Order, bool]:
    """Store a channel's order (see `orders.services.order_create`) and its sellers' packages;
    `(order, created)`. A repeated order is returned untouched."""
    placed, created = order_create(channel=channel, order=order, items=items, user=user)
    if created:
        packages_create(order=placed, user=user)
    return placed, created


def _new_number() -> str:
    return str(10 ** (NUMBER_DIGITS - 1) + secrets.randbelow(9 * 10 ** (NUMBER_DIGITS - 1)))


def _package_insert(**fields) -> Package:
    """A package with a fresh random 16-digit number; the unique index settles a clash."""
    for _ in range(NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():
                return Package.objects.create(number=_new_number(), **fields)
        except IntegrityError:
            continue
    raise RuntimeError("no free package number after several attempts")


@transaction.atomic
def packages_create(*, order: Order, user=None) -> list[Package]:
    """One package per seller of the order's offers, in status Preparing, its items numbered
    `<package number>-<n>` in item order. Items of the operator's own products get none."""
    by_seller: dict = {}
    for item in order.items.select_related("product").order_by("pk"):
        if item.product.seller_id is not None:
            by_seller.setdefault(item.product.seller_id, []).append(item)
    changes_lock(seller_ids=by_seller)  # all the order's sellers at once, in the fixed order
    packages = []
    for seller_id, items in sorted(by_seller.items(), key=lambda entry: entry[1][0].pk):
        package = _package_insert(order=order, seller_id=seller_id, status=PackageStatus.PREPARING)
        PackageItem.objects.bulk_create(
            PackageItem(package=package, order_item=item, number=f"{package.number}-{n}")
            for n, item in enumerate(items, start=1)
        )
        PackageEvent.objects.create(
            package=package, from_status=None, to_status=package.status, user=user,
            reason="order placed",
        )  # fmt: skip
        package_changed(package=package, kind=PackageChangeKind.CREATED)
        packages.append(package)
    return packages
