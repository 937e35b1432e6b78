"""Writes of orders and their items: intake from a sales channel, operators' changes, ERP
mappings.

Intake claims the order's number first (the unique `(channel, number)` row), then takes the
stock, then writes the items: a second import of the same number waits on the first one's row,
finds it committed, and answers with it without touching any stock.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from pazar.channels.models import Channel
from pazar.core.errors import ApplicationError
from pazar.core.metrics import ORDER_ITEMS_OVERSOLD
from pazar.core.sql import bulk_insert, insert_later, update_statement
from pazar.core.transactions import atomic
from pazar.inventory.services import SaleLine, stock_put_back, stock_sale_reported, stock_take
from pazar.inventory.services.sales import stock_put_back_statement
from pazar.orders.error_codes import ErrorCode
from pazar.orders.models import (
    CargoCompany,
    Order,
    OrderItem,
    OrderItemEvent,
    OrderItemMapping,
    OrderItemStatus,
)
from pazar.orders.transitions import can_move

ITEM_CHANGE_FIELDS = [
    "status", "cancel_status", "invoice_number", "invoice_date", "e_archive_url",
    "tracking_number", "shipping_company", "attributes", "attributes_kwargs", "extra_field",
]  # fmt: skip


@atomic
def order_create(
    *, channel: Channel, order: dict, items: list[dict], user=None
) -> tuple[Order, bool, list[OrderItem]]:
    """The channel's order with its items; `(order, created, items)`.

    `order` holds the order's fields (related rows as instances); each of `items` an item's,
    with `quantity` (default 1) and its `stock_list` resolved by the caller. Each item takes its
    units from its stock list, or is recorded `oversold` when the list has not enough.
    An order already stored under the channel and number is returned as it is (`created` False,
    no items): the insert of its row fails on the unique `(channel, number)` index, rolled back
    to its savepoint, and the stored row is read. Run by `order_place`, which spares nested
    savepoints, its only savepoint is the one around the order's row, where a repeated or
    concurrent import of the same number is caught; any other failure fails the caller's
    transaction.
    """
    try:
        with transaction.atomic():
            placed = Order.objects.create(channel=channel, **order)
    except IntegrityError:
        # The number is the channel's already (stored before, or committed by a concurrent
        # import meanwhile): that one is the order. No lookup first: a new order, the common
        # case, costs one statement less, and a repeat is told by the unique index.
        return Order.objects.get(channel=channel, number=order["number"]), False, []

    taken = stock_take(
        lines=[
            SaleLine(item["product"].pk, item["stock_list"].pk, item.get("quantity", 1))
            for item in items
        ]
    )
    rows = [
        OrderItem(order=placed, stock_taken=units, oversold=units == 0, **item)
        for item, units in zip(items, taken, strict=True)
    ]
    created = OrderItem.objects.bulk_create(rows)
    OrderItemEvent.objects.bulk_create(
        OrderItemEvent(order_item=item, to_status=item.status, user=user, reason="order placed")
        for item in created
    )
    oversold = sum(1 for item in created if item.oversold)
    if oversold:
        ORDER_ITEMS_OVERSOLD.labels(channel=str(channel.pk)).inc(oversold)
    placed.oversold_count = oversold  # as `OrderSerializer` reads an annotated order's
    return placed, True, created


@transaction.atomic
def order_update(*, order: Order, is_send: bool) -> Order:
    """Operators mark whether the order went to the ERP; nothing else of an order changes here."""
    if order.is_send != is_send:
        order.is_send = is_send
        order.save(update_fields=["is_send", "updated_at"])
    return order


def _cargo_company(value) -> CargoCompany | None:
    """A cargo company as a channel names it: an object with `pk`/`id`, its pk, or its ERP
    code or slug."""
    if isinstance(value, dict):
        value = value.get("pk", value.get("id"))
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int) or (isinstance(value, str) and value.isascii() and value.isdigit()):
        return CargoCompany.objects.filter(pk=int(value)).first()
    if isinstance(value, str) and value:
        return (
            CargoCompany.objects.filter(Q(erp_code=value) | Q(shipping_company=value))
            .order_by("pk")
            .first()
        )
    return None


@transaction.atomic
def order_shipping_info_set(
    *, channel_id: int, order_id: int, order_number: str | None, shipping_company
) -> tuple[Order, CargoCompany]:
    """A sales channel says which cargo company ships its order (channel_app's
    `order_shipping_infos/`); the order's `modified_date` moves only when it changes. 400
    `order_unknown` (not an order of the channel), `order_number_mismatch`,
    `cargo_company_unknown`."""
    order = Order.objects.select_for_update().filter(pk=order_id, channel_id=channel_id).first()
    if order is None:
        raise ApplicationError(
            f"Unknown order {order_id} of this channel.", code=ErrorCode.ORDER_UNKNOWN
        )
    if order_number and order_number != order.number:
        raise ApplicationError(
            f"Order {order.pk} is number {order.number}, not {order_number}.",
            code=ErrorCode.ORDER_NUMBER_MISMATCH,
        )
    cargo = _cargo_company(shipping_company)
    if cargo is None:
        raise ApplicationError("Unknown cargo company.", code=ErrorCode.CARGO_COMPANY_UNKNOWN)
    if order.cargo_company_id != cargo.pk:
        order.cargo_company = cargo
        order.save(update_fields=["cargo_company", "updated_at"])
    return order, cargo


@atomic
def order_item_update(
    *, order_item: OrderItem, data: dict, user=None, reason: str = ""
) -> OrderItem:
    """Change an item: `extra_field` is merged into the stored one, `attributes` and
    `attributes_kwargs` are replaced, a `status` move must be allowed (409 otherwise) and is
    recorded with who and when."""
    item = OrderItem.objects.select_for_update().get(pk=order_item.pk)
    data = dict(data)
    if "extra_field" in data:
        data["extra_field"] = {**item.extra_field, **data["extra_field"]}
    if "status" in data:
        _check_move(item, data["status"])
    old_status = item.status
    changed = []
    for name in ITEM_CHANGE_FIELDS:
        if name in data and getattr(item, name) != data[name]:
            setattr(item, name, data[name])
            changed.append(name)
    if changed:
        item.save(update_fields=[*changed, "updated_at"])
        _order_touched(item)
    if item.status != old_status:
        OrderItemEvent.objects.create(
            order_item=item, from_status=old_status, to_status=item.status, user=user, reason=reason
        )
    return item


def _order_touched(item: OrderItem) -> None:
    """A change to an item is a change to its order: the order's `modified_date` moves with it,
    so a sales channel's `orders/updates/` feed offers the order again."""
    Order.objects.filter(pk=item.order_id).update(updated_at=item.updated_at)


def _check_move(item: OrderItem, to_status: str) -> None:
    if not can_move(item.status, to_status):
        raise ApplicationError(
            f"An order item in status {item.status} cannot move to {to_status}.",
            code=ErrorCode.ORDER_ITEM_STATUS_TRANSITION,
            status_code=409,
        )


@atomic
def order_items_bulk_update(*, rows: list[dict], user=None) -> list[OrderItem]:
    """Several items' changes at once (`bulk_status_update`), all or none; items are locked in
    primary-key order by one query, and written with one statement per set of changed fields
    (their status moves recorded together)."""
    locked = {item.pk: item for item in _locked([row["order_item"] for row in rows])}
    changes = []
    for row in rows:
        item = locked.get(row["order_item"].pk)
        if item is None:
            raise OrderItem.DoesNotExist("No OrderItem matches the given query.")
        changes.append((item, {k: v for k, v in row.items() if k != "order_item"}))
    return _apply(changes, user=user)


def _apply(
    changes: list[tuple[OrderItem, dict]], *, user=None, reason: str = "",
    names: list[str] = ITEM_CHANGE_FIELDS, statements: list | None = None,
) -> list:  # fmt: skip
    """Set each locked item's fields (of `names`) as `order_item_update` does (moves checked
    first, nothing written on a refusal), in one statement per set of changed fields (a plain
    `UPDATE` when the items of a set take the same values, else one `CASE` per field); the
    moves' events in one insert, sent with the plain `UPDATE`s as one statement on PostgreSQL
    (`core.sql.execute_together`). `statements`: the plain `UPDATE`s and the events' insert
    are added to it instead, for the caller to send with its own writes."""
    for item, data in changes:
        if "status" in data:
            _check_move(item, data["status"])
    now = timezone.now()
    groups: dict[tuple[str, ...], list[OrderItem]] = {}
    events = []
    for item, data in changes:
        old_status = item.status
        if "extra_field" in data:
            data = {**data, "extra_field": {**item.extra_field, **data["extra_field"]}}
        changed = []
        for name in names:
            if name in data and getattr(item, name) != data[name]:
                setattr(item, name, data[name])
                changed.append(name)
        if changed:
            item.updated_at = now
            groups.setdefault(tuple(changed), []).append(item)
        if item.status != old_status:
            events.append(
                OrderItemEvent(
                    order_item=item, from_status=old_status, to_status=item.status, user=user,
                    reason=reason,
                )
            )  # fmt: skip
    same = []  # plain `UPDATE`s, sent with the events' insert (one round trip on PostgreSQL)
    for fields, items in groups.items():
        values = {name: getattr(items[0], name) for name in fields}
        if all(getattr(item, name) == value for item in items for name, value in values.items()):
            same.append(
                update_statement(
                    OrderItem, pks=[item.pk for item in items], values={**values, "updated_at": now}
                )
            )
        else:
            OrderItem.objects.bulk_update(items, [*fields, "updated_at"])
    if statements is None:
        bulk_insert(OrderItemEvent, events, before=same)
        return [item for item, _ in changes]
    statements += [*same, *insert_later(OrderItemEvent, events)]
    return [item for item, _ in changes]


@transaction.atomic
def order_item_mapping_create(
    *, order_item: OrderItem, code: str, update_stock: bool = True
) -> OrderItemMapping:
    """Store the ERP's id of the item; with `update_stock`, the ERP now has the sale, so the
    units leave `sold_quantity_unreported` (once, however often the mapping is stored)."""
    item = OrderItem.objects.select_for_update().get(pk=order_item.pk)
    mapping, _ = OrderItemMapping.objects.update_or_create(
        order_item=item, integration_type="external_company", defaults={"code": code}
    )
    if update_stock and not item.stock_released and item.stock_taken:
        stock_sale_reported(lines=[SaleLine(item.product_id, item.stock_list_id, item.stock_taken)])
        item.stock_released = True
        item.save(update_fields=["stock_released", "updated_at"])
    return mapping


def _locked(items) -> list[OrderItem]:
    """The items' rows, locked in primary-key order (the one order every writer locks them in)."""
    return list(
        OrderItem.objects.select_for_update()
        .filter(pk__in=[item.pk for item in items])
        .order_by("pk")
    )


@transaction.atomic
def order_items_move(
    *, items, status: str, fields: dict | None = None, user=None, reason: str = ""
) -> list[OrderItem]:
    """Move the items to `status` (each move allowed, or a 409 and nothing changed) and set
    `fields` (tracking, shipping company, invoice) on them; each move is recorded."""
    locked = _locked(items)
    for item in locked:
        _check_move(item, status)
    return [
        order_item_update(
            order_item=item, data={**(fields or {}), "status": status}, user=user, reason=reason
        )
        for item in locked
    ]


@atomic
def order_items_cancel(
    *, items, user=None, reason: str = "", fields: dict | None = None, locked: bool = False,
    statements: list | None = None,
) -> list[OrderItem]:  # fmt: skip
    """Cancel the items (status 100): the units each took go back to the stock they came from,
    and leave `sold_quantity_unreported` again unless the ERP had the sale already. `fields`:
    other changes of the items (`ITEM_CHANGE_FIELDS`, e.g. their `cancel_status`) written with
    the cancel. `locked`: the items are the caller's rows, locked by it in this transaction
    (in primary-key order, as `_locked` does) and read since, so they are not read again; they
    are changed in place. `statements`: the stock's move (the last one, when both reported
    and unreported units move: the same stock row is not written twice by one statement), the
    items' writes and their events are added to it, for the caller to send with its own
    writes (`core.sql.execute_together`), its locks taken after the items'."""
    locked = sorted(items, key=lambda item: item.pk) if locked else _locked(items)
    for item in locked:
        _check_move(item, OrderItemStatus.CANCELLED)
    moves = []
    for reported in (False, True):
        lines = [
            SaleLine(item.product_id, item.stock_list_id, item.stock_taken)
            for item in locked
            if item.stock_taken and item.stock_released is reported
        ]
        if lines:
            moves.append((lines, reported))
    for n, (lines, reported) in enumerate(moves, start=1):
        if statements is not None and n == len(moves):
            statements.append(stock_put_back_statement(lines=lines, reported=reported))
        else:
            stock_put_back(lines=lines, reported=reported)
    # the units' release with the status, in one statement per set of changed fields
    data = {**(fields or {}), "status": OrderItemStatus.CANCELLED, "stock_taken": 0}
    return _apply(
        [(item, data) for item in locked], user=user, reason=reason,
        names=[*ITEM_CHANGE_FIELDS, "stock_taken"], statements=statements,
    )  # fmt: skip


@atomic
def order_item_units_return(*, order_item: OrderItem, quantity: int) -> int:
    """Returned units of a delivered item go back to the stock they came from (at most the
    units the item still holds of it); they leave `sold_quantity_unreported` unless the ERP had
    the sale. The units put back, which the item no longer holds."""
    [item] = _locked([order_item])
    units = min(quantity, item.stock_taken)
    if units:
        stock_put_back(
            lines=[SaleLine(item.product_id, item.stock_list_id, units)],
            reported=item.stock_released,
        )
        item.stock_taken -= units
        item.save(update_fields=["stock_taken", "updated_at"])
    return units


@atomic
def order_item_split(*, order_item: OrderItem, quantity: int, user=None) -> OrderItem:
    """Take `quantity` units off the item into a new item of the same order (same product,
    price and status); the units it took from stock go along with them."""
    item = OrderItem.objects.select_for_update().get(pk=order_item.pk)
    if not 0 < quantity < item.quantity:
        raise ApplicationError(
            f"Between 1 and {item.quantity - 1} units of this item can be split off.",
            code=ErrorCode.ORDER_ITEM_QUANTITY,
        )
    taken = min(quantity, item.stock_taken)
    new = OrderItem.objects.get(pk=item.pk)
    new.pk = None
    new.parent_id = item.parent_id
    new.quantity, new.stock_taken = quantity, taken
    new.save(force_insert=True)
    item.quantity -= quantity
    item.stock_taken -= taken
    item.save(update_fields=["quantity", "stock_taken", "updated_at"])
    _order_touched(item)
    OrderItemEvent.objects.create(
        order_item=new, from_status="", to_status=new.status, user=user,
        reason=f"split from item {item.pk}",
    )  # fmt: skip
    return new
