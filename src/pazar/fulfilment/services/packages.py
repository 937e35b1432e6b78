"""A package's actions (orders.md §5–§6): ready to ship, ship, invoice, split, reject items,
and the carrier's delivered / delivery failed.

Each action locks the package's row first, checks the move in `pazar.fulfilment.transitions`
(a 409 `package_status_transition` otherwise), records it in the package's history (who,
when, from → to, reason), mirrors it on the order items' Omnitron statuses through the orders
app, and writes a change (the cursor feed) and a callback event, all in one transaction.
Rows are locked in one order: packages by primary key, then their order items by primary key
(the orders app), then stocks by primary key (the inventory app).
"""

from __future__ import annotations

from collections import Counter

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from pazar.core.errors import ApplicationError
from pazar.core.prepared import PreparedQuery
from pazar.core.sql import bulk_insert, update_statement
from pazar.core.transactions import atomic
from pazar.fulfilment import transitions
from pazar.fulfilment.error_codes import ErrorCode
from pazar.fulfilment.models import (
    Package,
    PackageChangeKind,
    PackageEvent,
    PackageItem,
    PackageStatus,
)
from pazar.fulfilment.services.changes import package_change, package_changed, packages_changed
from pazar.fulfilment.services.intake import _package_insert
from pazar.orders.models import CargoCompany, Order, OrderItemStatus
from pazar.orders.services import (
    order_item_split,
    order_items_bulk_update,
    order_items_cancel,
    order_items_move,
)


def _lock(package: Package) -> Package:
    # the package row only: a lock on its seller's row would hold back every writer of a row that
    # refers to the seller (its other packages, claims, changes, events) until this commit
    return (
        Package.objects.select_for_update(of=("self",))
        .select_related("order", "seller")
        .get(pk=package.pk)
    )


def packages_lock(*, order_item_ids, order: Order | None = None) -> list[Package]:
    """Lock the packages holding these order items, in primary-key order (the first of the locks
    every writer takes), in one query; each with its order and seller (whose rows are not
    locked). `order`: the items' order, which the caller has read (the packages of other
    orders are left out, and the order is not read again)."""
    if order is None:
        return list(_holding(order_item_ids).select_related("order", "seller").order_by("pk"))
    packages = _PACKAGES_OF_ORDER_LOCK.all(list(order_item_ids), order.pk)
    for package in packages:
        package.order = order
    return packages


def _holding(order_item_ids) -> QuerySet:
    holding = PackageItem.objects.filter(order_item__in=order_item_ids).values("package")
    return Package.objects.select_for_update(of=("self",)).filter(pk__in=holding)


# the cancel's two reads of its packages (SQL compiled once)
_PACKAGES_OF_ORDER_LOCK = PreparedQuery(
    lambda item_ids, order_id: (
        _holding(item_ids).filter(order_id=order_id).select_related("seller").order_by("pk")
    ),
    list,
    int,
)
_ITEMS_OF_PACKAGES = PreparedQuery(
    lambda package_ids: (
        PackageItem.objects.filter(package__in=package_ids)
        .select_related("order_item")
        .order_by("pk")
    ),
    list,
)


def package_items_read(*, packages: list[Package]) -> list[PackageItem]:
    """The packages' items with their order items, in item order (each item's `package` the
    instance given)."""
    by_pk = {package.pk: package for package in packages}
    items = _ITEMS_OF_PACKAGES.all(list(by_pk))
    for item in items:
        item.package = by_pk[item.package_id]
    return items


def _check(package: Package, action: str) -> None:
    if not transitions.can_take(action, package.status):
        raise ApplicationError(
            f"A package in status {package.status} ({PackageStatus(package.status).label}) "
            f"cannot take the action {action!r}.",
            code=ErrorCode.PACKAGE_STATUS_TRANSITION,
            status_code=409,
        )


def live_items(package: Package) -> list[PackageItem]:
    """The package's items that are not cancelled, in item order."""
    return list(
        PackageItem.objects.filter(package=package)
        .exclude(order_item__status=OrderItemStatus.CANCELLED)
        .select_related("order_item")
        .order_by("pk")
    )


def _move(package: Package, to_status: int, *, user, reason: str, fields: dict | None = None,
          item_fields: dict | None = None) -> Package:  # fmt: skip
    """Set the package's status (and `fields`), record it, mirror it on its live items."""
    from_status = package.status
    changed = ["status", "updated_at", *(fields or {})]
    for name, value in (fields or {}).items():
        setattr(package, name, value)
    package.status = to_status
    package.save(update_fields=changed)
    PackageEvent.objects.create(
        package=package, from_status=from_status, to_status=to_status, user=user, reason=reason
    )
    item_status = transitions.ITEM_STATUS.get(to_status)
    items = [item.order_item for item in live_items(package)]
    if item_status and items and to_status != PackageStatus.CANCELLED:
        order_items_move(
            items=items, status=item_status, fields=item_fields, user=user,
            reason=f"package {package.number}: {reason}" if reason else f"package {package.number}",
        )  # fmt: skip
    package_changed(
        package=package,
        kind=PackageChangeKind.STATUS_CHANGED,
        details={"from_status": from_status, "to_status": to_status, "reason": reason},
    )
    return package


@transaction.atomic
def package_ready(*, package: Package, user=None) -> Package:
    """Preparing → Ready to ship; the items become 450 (preparing)."""
    package = _lock(package)
    _check(package, "ready")
    return _move(package, PackageStatus.READY_TO_SHIP, user=user, reason="ready to ship")


@transaction.atomic
def package_ship(
    *, package: Package, shipping_company: CargoCompany, tracking_number: str,
    tracking_url: str = "", waybill_number: str = "", user=None,
) -> Package:  # fmt: skip
    """Preparing or Ready to ship → Shipped, with the carrier and its tracking number; the items
    become 500 (shipped) and carry the tracking number and the shipping company."""
    package = _lock(package)
    _check(package, "ship")
    return _move(
        package,
        PackageStatus.SHIPPED,
        user=user,
        reason="shipped",
        fields={
            "shipping_company": shipping_company,
            "tracking_number": tracking_number,
            "tracking_url": tracking_url,
            "waybill_number": waybill_number,
            "shipment_date": timezone.now(),
        },
        item_fields={"tracking_number": tracking_number, "shipping_company": shipping_company},
    )


@transaction.atomic
def package_deliver(*, package: Package, user=None) -> Package:
    """Shipped → Delivered (the carrier, through the operator); the items become 550."""
    package = _lock(package)
    _check(package, "deliver")
    return _move(
        package, PackageStatus.DELIVERED, user=user, reason="delivered",
        fields={"delivery_date": timezone.now()},
    )  # fmt: skip


@transaction.atomic
def package_delivery_fail(*, package: Package, user=None, reason: str = "") -> Package:
    """Shipped → Delivery failed; the items become 540 (attempted delivery)."""
    package = _lock(package)
    _check(package, "fail-delivery")
    return _move(
        package, PackageStatus.DELIVERY_FAILED, user=user, reason=reason or "delivery failed"
    )


@transaction.atomic
def package_invoice(
    *, package: Package, invoice_number: str, invoice_date, invoice_data: str | None = None,
    invoice_data_type: str | None = None, user=None,
) -> Package:  # fmt: skip
    """Attach the invoice (once: a second is a 409); the items carry its number and date."""
    package = _lock(package)
    _check(package, "invoice")
    if package.invoice_number:
        raise ApplicationError(
            f"The package has an invoice already ({package.invoice_number}).",
            code=ErrorCode.PACKAGE_ALREADY_INVOICED,
            status_code=409,
        )
    package.invoice_number, package.invoice_date = invoice_number, invoice_date
    package.invoice_data, package.invoice_data_type = invoice_data, invoice_data_type
    package.save(update_fields=["invoice_number", "invoice_date", "invoice_data",
                                "invoice_data_type", "updated_at"])  # fmt: skip
    items = [item.order_item for item in live_items(package)]
    if items:
        order_items_bulk_update(
            rows=[{"order_item": item, "invoice_number": invoice_number,
                   "invoice_date": invoice_date} for item in items],
            user=user,
        )  # fmt: skip
    PackageEvent.objects.create(
        package=package, from_status=package.status, to_status=package.status, user=user,
        reason=f"invoice {invoice_number}",
    )  # fmt: skip
    package_changed(package=package, kind=PackageChangeKind.UPDATED,
                    details={"invoice_number": invoice_number})  # fmt: skip
    return package


def _chosen(
    package: Package, rows: list[dict], items: list[PackageItem] | None = None
) -> list[tuple[PackageItem, int]]:
    """`[{"item": "<number>-<n>", "quantity": q}]` → the package's live items and their units;
    an unknown, cancelled or repeated item, or a quantity past the item's, is a 400. `items`:
    the package's items with their order items, read already."""
    if items is None:
        items = PackageItem.objects.filter(package=package).select_related("order_item")
    by_number = {item.number: item for item in items}
    repeated = [number for number, n in Counter(row["item"] for row in rows).items() if n > 1]
    if repeated:
        raise ApplicationError(
            f"Item {repeated[0]} is named twice.", code=ErrorCode.PACKAGE_ITEM_REPEATED
        )
    chosen = []
    for row in rows:
        item = by_number.get(row["item"])
        if item is None:
            raise ApplicationError(
                f"The package has no item {row['item']}.", code=ErrorCode.PACKAGE_ITEM_UNKNOWN
            )
        if item.order_item.status == OrderItemStatus.CANCELLED:
            raise ApplicationError(
                f"Item {item.number} is cancelled.", code=ErrorCode.PACKAGE_ITEM_CANCELLED
            )
        quantity = row.get("quantity") or item.order_item.quantity
        if quantity > item.order_item.quantity:
            raise ApplicationError(
                f"Item {item.number} has {item.order_item.quantity} units, not {quantity}.",
                code=ErrorCode.PACKAGE_ITEM_QUANTITY,
            )
        chosen.append((item, quantity))
    return chosen


def package_items_choose(*, package: Package, items: list[dict]) -> list[tuple[PackageItem, int]]:
    """The package's live items (and units) that `items` names, checked as the package's own
    actions check them; for the claims app's rejection of items."""
    return _chosen(package, items)


def _next_item_number(package: Package) -> int:
    numbers = PackageItem.objects.filter(package=package).values_list("number", flat=True)
    return max((int(number.rsplit("-", 1)[1]) for number in numbers), default=0) + 1


def _split_off(package: Package, item: PackageItem, quantity: int, *, user) -> PackageItem:
    """The item's `quantity` units as their own item of the same package (the order item is
    split by the orders app); the whole item when `quantity` is all it has."""
    if quantity >= item.order_item.quantity:
        return item
    order_item = order_item_split(order_item=item.order_item, quantity=quantity, user=user)
    return PackageItem.objects.create(
        package=package, order_item=order_item,
        number=f"{package.number}-{_next_item_number(package)}",
    )  # fmt: skip


@transaction.atomic
def package_split(*, package: Package, items: list[dict], user=None) -> Package:
    """Move the chosen items (or some of their units) to a new package of the same order, in
    status Preparing; the package keeps the rest (it must keep at least one unit)."""
    package = _lock(package)
    _check(package, "split")
    chosen = _chosen(package, items)
    live = live_items(package)
    units = sum(item.order_item.quantity for item in live)
    if not chosen or sum(quantity for _, quantity in chosen) >= units:
        raise ApplicationError(
            "A split moves some of the package's units and leaves it at least one.",
            code=ErrorCode.PACKAGE_SPLIT_LEAVES_NOTHING,
        )
    new = _package_insert(
        order=package.order, seller=package.seller, split_from=package,
        status=PackageStatus.PREPARING,
    )  # fmt: skip
    moved = [_split_off(package, item, quantity, user=user) for item, quantity in chosen]
    for n, item in enumerate(sorted(moved, key=lambda item: item.pk), start=1):
        item.package, item.number = new, f"{new.number}-{n}"
        item.save(update_fields=["package", "number", "updated_at"])
    PackageEvent.objects.create(
        package=new, from_status=None, to_status=new.status, user=user,
        reason=f"split from package {package.number}",
    )  # fmt: skip
    PackageEvent.objects.create(
        package=package, from_status=package.status, to_status=package.status, user=user,
        reason=f"items split into package {new.number}",
    )  # fmt: skip
    package.save(update_fields=["updated_at"])
    package_changed(package=package, kind=PackageChangeKind.ITEMS_CHANGED,
                    details={"split_into": new.number})  # fmt: skip
    package_changed(package=new, kind=PackageChangeKind.CREATED,
                    details={"split_from": package.number})  # fmt: skip
    return new


@transaction.atomic
def package_items_cancel(*, package: Package, items: list[dict], reason: str, user=None) -> Package:
    """Cancel the chosen items (or some of their units) of a package not yet shipped: their
    order items become 100 and their units go back to stock (the orders and inventory apps).
    A package left with nothing becomes Cancelled. The claims app wraps this in cancel claims."""
    return package_units_cancel(package=package, items=items, reason=reason, user=user)[0]


@atomic
def package_units_cancel(
    *, package: Package, items: list[dict], reason: str, user=None,
    item_fields: dict | None = None, package_items: list[PackageItem] | None = None,
    callbacks: list | None = None, statements: list | None = None,
) -> tuple[Package, list[PackageItem]]:  # fmt: skip
    """`package_items_cancel`, also giving the package items that hold the cancelled units
    (an item split off its line when only some of its units are cancelled), in request order.
    `item_fields`: other changes of the cancelled order items (e.g. their `cancel_status`),
    written with the cancel. `package_items`: the package's items, read by a caller that holds
    the package's lock (`packages_lock`, the package given is that row) and the order items'
    (locked after it, in primary-key order): nothing is read again. `callbacks`: the
    changes' callback events are added to it for the caller to publish with its own, and
    `statements` the changes' writes for the caller to send with a later one
    (`packages_changed`)."""
    if package_items is None:
        package = _lock(package)
    _check(package, "reject-items")
    chosen = _chosen(package, items, package_items)
    if not chosen:
        raise ApplicationError("Name at least one item.", code=ErrorCode.PACKAGE_ITEM_UNKNOWN)
    cancelled = [_split_off(package, item, quantity, user=user) for item, quantity in chosen]
    # given the package's items, nothing is read again: the stock's move and the order items'
    # writes go with the package's (one round trip); else the live items are read after them
    writes: list = []
    order_items_cancel(
        items=[item.order_item for item in cancelled], user=user,
        reason=f"package {package.number}: {reason}", fields=item_fields,
        locked=package_items is not None,
        statements=writes if package_items is not None else None,
    )  # fmt: skip
    if package_items is None:
        live = bool(live_items(package))
    else:  # the cancelled order items are these very instances, changed in place
        live = any(item.order_item.status != OrderItemStatus.CANCELLED for item in package_items)
    now = timezone.now()
    items_touched = update_statement(
        PackageItem, pks=[item.pk for item in cancelled], values={"updated_at": now}
    )
    numbers = sorted(item.number for item in cancelled)
    from_status = package.status
    events = [
        PackageEvent(
            package=package, from_status=from_status, to_status=from_status, user=user,
            reason=f"items {', '.join(numbers)} rejected: {reason}"[:255],
        )
    ]  # fmt: skip
    package.updated_at = now
    changes = [
        package_change(
            package=package, kind=PackageChangeKind.ITEMS_CHANGED,
            details={"cancelled_items": numbers, "reason": reason},
        )
    ]  # fmt: skip
    if not live:  # nothing left: the package is cancelled (as `_move` moves it)
        package.status = PackageStatus.CANCELLED
        events.append(
            PackageEvent(
                package=package, from_status=from_status, to_status=package.status, user=user,
                reason=reason,
            )
        )  # fmt: skip
        changes.append(
            package_change(
                package=package, kind=PackageChangeKind.STATUS_CHANGED,
                details={"from_status": from_status, "to_status": package.status,
                         "reason": reason},
            )
        )  # fmt: skip
    package_written = update_statement(
        Package, pks=[package.pk], values={"status": package.status, "updated_at": now}
    )
    # the items' and the package's rows with the events: one round trip on PostgreSQL
    bulk_insert(PackageEvent, events, before=[*writes, items_touched, package_written])
    packages_changed(changes=changes, callbacks=callbacks, statements=statements)
    return package, cancelled
