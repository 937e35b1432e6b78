"""Stock taken by sales and put back: the only writes of `stock` an order makes.

Each line takes its units with one conditional UPDATE (`stock >= quantity`), so concurrent
orders never take more than a stock holds. Lines are applied in the order of their stock rows'
primary keys, so two orders that touch the same rows lock them in the same order and never
deadlock. A sold unit also counts in `sold_quantity_unreported` until the stock's owner reports
a new figure (the seller's PRD104/PRD106, or the ERP mapping the order line).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Case, F, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone

from pazar.core.transactions import atomic
from pazar.inventory.models import ProductStock


@dataclass(frozen=True)
class SaleLine:
    product_id: int
    stock_list_id: int
    quantity: int


@transaction.atomic
def stock_take(*, lines: list[SaleLine]) -> list[int]:
    """Take each line's units; return, per line in the given order, how many it took.

    A line takes all its units or none (0: no stock row, or not enough left: oversold).
    Call it inside the caller's transaction, so a failure later gives the units back.
    """
    rows = dict(
        ((product, stock_list), pk)
        for pk, product, stock_list in ProductStock.objects.filter(
            product_id__in={line.product_id for line in lines},
            stock_list_id__in={line.stock_list_id for line in lines},
        ).values_list("pk", "product_id", "stock_list_id")
    )
    taken = [0] * len(lines)
    keyed = [
        (rows.get((line.product_id, line.stock_list_id)), index) for index, line in enumerate(lines)
    ]
    now = timezone.now()
    for pk, index in sorted((pk, index) for pk, index in keyed if pk is not None):
        quantity = lines[index].quantity
        updated = ProductStock.objects.filter(pk=pk, stock__gte=quantity).update(
            stock=F("stock") - quantity,
            sold_quantity_unreported=F("sold_quantity_unreported") + quantity,
            updated_at=now,
        )
        taken[index] = quantity if updated else 0
    return taken


@atomic
def stock_put_back(*, lines: list[SaleLine], reported: bool = False) -> None:
    """Give back units a sale took (e.g. a cancelled line). `reported`: the sale had already left
    `sold_quantity_unreported`, which is then left alone."""
    _apply_in_order(lines, put_back=True, reported=reported)


@transaction.atomic
def stock_sale_reported(*, lines: list[SaleLine]) -> None:
    """The stock's owner now knows of these sold units: they leave `sold_quantity_unreported`
    (never below 0: a new stock figure may have reset it already)."""
    _apply_in_order(lines, put_back=False, reported=False)


def _apply_in_order(lines: list[SaleLine], *, put_back: bool, reported: bool) -> None:
    """One lookup that locks the stock rows in primary-key order, then one UPDATE of them all
    (each row by its own quantity)."""
    now = timezone.now()
    stocks = (
        ProductStock.objects.select_for_update()
        .filter(
            product_id__in={line.product_id for line in lines},
            stock_list_id__in={line.stock_list_id for line in lines},
        )
        .order_by("pk")
        .values_list("pk", "product_id", "stock_list_id")
    )
    pks = {(product, stock_list): pk for pk, product, stock_list in stocks}
    quantities: dict[int, int] = {}
    for line in lines:
        pk = pks.get((line.product_id, line.stock_list_id))
        if pk is not None and line.quantity > 0:
            quantities[pk] = quantities.get(pk, 0) + line.quantity
    if not quantities:
        return
    field = ProductStock._meta.get_field("stock")
    quantity = Case(
        *(When(pk=pk, then=Value(units)) for pk, units in sorted(quantities.items())),
        output_field=field,
    )
    changes = {"updated_at": now}
    if put_back:
        changes["stock"] = F("stock") + quantity
    if not (put_back and reported):
        changes["sold_quantity_unreported"] = Greatest(
            Value(0), F("sold_quantity_unreported") - quantity
        )
    ProductStock.objects.filter(pk__in=sorted(quantities)).update(**changes)
