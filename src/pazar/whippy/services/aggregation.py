"""Stock list figures: marking what changed, recomputing it in the worker, rebuilding a list.

- A write that can change a list's figure for a SKU calls `pending_mark_skus` (or
  `pending_mark_stock_lists` when a whole list is affected) in its own transaction. That upserts
  (stock list, SKU) into `PendingSku` and enqueues `recompute_pending` in the same transaction,
  so the worker never runs before the change is committed.
- `pending_drain` claims pending SKUs list by list (DELETE … RETURNING, skipping rows another
  transaction holds on PostgreSQL), recomputes exactly those figures with one aggregate query,
  stores them in `StockListResult` and writes Omnitron's product stocks of the list's
  `remote_id`, all in one transaction per chunk. Draining twice is draining once.
- `stock_list_rebuild` is the same computation over every SKU of a list, for repair.

Marks upsert (`DO UPDATE`), which locks an existing pending row on PostgreSQL: a drain that
claims the row waits for the writer's commit and then reads the committed stock, and a writer
that marks a row a drain has just claimed waits and inserts it again. A change is never lost.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from pazar.catalog.selectors import omnitron_products_by_sku
from pazar.core.sql import upsert
from pazar.inventory.services import product_stocks_upsert
from pazar.whippy import rules
from pazar.whippy.models import (
    PendingSku,
    RuleType,
    Stock,
    StockList,
    StockListResult,
    StockLocation,
    UnitType,
)

logger = logging.getLogger(__name__)

CHUNK = 2000  # SKUs recomputed per transaction
PRODUCT_LOOKUP_CHUNK = 5000  # SKUs per product query (SQLite's bound-parameter limit)


@dataclass
class Outcome:
    """What a drain or a rebuild did."""

    skus: int = 0  # figures computed
    written: int = 0  # Omnitron product stocks written
    without_product: int = 0  # SKUs with no Omnitron product (yet): figure kept, not written

    def add(self, other: Outcome) -> None:
        self.skus += other.skus
        self.written += other.written
        self.without_product += other.without_product


# --- marking ----------------------------------------------------------------------------------


def computable_stock_lists():
    """Lists the worker computes: active, with an active `location_sum` rule."""
    return StockList.objects.filter(
        is_active=True,
        stock_list_rule__is_active=True,
        stock_list_rule__rule_type=RuleType.LOCATION_SUM,
    )


def pending_mark_skus(*, skus: Iterable[str]) -> None:
    """These SKUs' figures may have changed in every computable list."""
    skus = sorted(set(skus))
    list_ids = sorted(computable_stock_lists().values_list("pk", flat=True))
    if not skus or not list_ids:
        return
    now = timezone.now()
    upsert(
        PendingSku,
        columns=["stock_list", "sku", "marked_at"],
        rows=[(list_id, sku, now) for list_id in list_ids for sku in skus],
        conflict=["stock_list", "sku"],
        update=["marked_at"],
    )
    _enqueue()


def pending_mark_stock_lists(*, stock_list_ids: Iterable[int] | None = None) -> None:
    """Every SKU of these computable lists (all of them when None): stocked or computed before."""
    lists = computable_stock_lists()
    if stock_list_ids is not None:
        lists = lists.filter(pk__in=list(stock_list_ids))
    list_ids = sorted(lists.values_list("pk", flat=True))
    if not list_ids:
        return
    quote = connection.ops.quote_name
    pending, stock, result = (
        quote(model._meta.db_table) for model in (PendingSku, Stock, StockListResult)
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        for list_id in list_ids:
            # `WHERE true` lets SQLite tell the upsert's ON CONFLICT from a join's ON; SKU order
            # is the order every marker locks pending rows in.
            cursor.execute(
                f"INSERT INTO {pending} (stock_list_id, sku, marked_at) "  # noqa: S608
                f"SELECT %s, u.sku, %s FROM (SELECT sku FROM {stock} UNION "
                f"SELECT sku FROM {result} WHERE stock_list_id = %s) u WHERE true ORDER BY u.sku "
                "ON CONFLICT (stock_list_id, sku) DO UPDATE SET marked_at = EXCLUDED.marked_at",
                [list_id, now, list_id],
            )
    _enqueue()


def _enqueue() -> None:
    from pazar.whippy.tasks import recompute_pending

    recompute_pending.enqueue()


# --- draining ---------------------------------------------------------------------------------


def pending_drain(*, chunk: int = CHUNK) -> Outcome:
    """Recompute every pending (stock list, SKU), `chunk` SKUs per transaction."""
    outcome = Outcome()
    list_ids = sorted(set(PendingSku.objects.values_list("stock_list_id", flat=True).distinct()))
    for list_id in list_ids:
        while True:
            done = _drain_chunk(list_id, chunk)
            if done is None:
                break
            outcome.add(done)
    return outcome


@transaction.atomic
def _drain_chunk(list_id: int, chunk: int) -> Outcome | None:
    skus = _claim(list_id, chunk)
    if not skus:
        return None
    stock_list = computable_stock_lists().select_related("stock_list_rule").filter(pk=list_id)
    stock_list = stock_list.first()
    if stock_list is None or not _valid(stock_list):
        return Outcome()  # not computed: its figures stay as last written
    return _recompute(stock_list, skus)


def _valid(stock_list: StockList) -> bool:
    """Rules are checked when written; one stored otherwise (a migration, the shell) is skipped."""
    errors = rules.rule_errors(
        stock_list.stock_list_rule.rule_type, stock_list.stock_list_rule.rule
    )
    if errors:
        logger.warning("stock list %s has an invalid rule: %s", stock_list.code, errors)
    return not errors


def _claim(list_id: int, limit: int) -> list[str]:
    table = connection.ops.quote_name(PendingSku._meta.db_table)
    lock = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} "  # noqa: S608
            f"WHERE stock_list_id = %s ORDER BY id LIMIT %s{lock}) RETURNING sku",
            [list_id, limit],
        )
        return sorted(row[0] for row in cursor.fetchall())


# --- rebuilding -------------------------------------------------------------------------------


@transaction.atomic
def stock_list_rebuild(*, stock_list: StockList) -> Outcome:
    """Recompute every SKU of a computable list (stocked, or computed before) and write them all.

    A list that is not computed (inactive, or an inactive or `sql` rule) is left alone.
    """
    stock_list = (
        computable_stock_lists().select_related("stock_list_rule").filter(pk=stock_list.pk).first()
    )
    if stock_list is None or not _valid(stock_list):
        return Outcome()
    PendingSku.objects.filter(stock_list=stock_list).delete()
    skus = set(Stock.objects.values_list("sku", flat=True).distinct())
    skus.update(StockListResult.objects.filter(stock_list=stock_list).values_list("sku", flat=True))
    return _recompute(stock_list, sorted(skus), every_sku=True)


# --- computing --------------------------------------------------------------------------------


def _recompute(stock_list: StockList, skus: list[str], *, every_sku: bool = False) -> Outcome:
    rule = rules.parse_location_sum(stock_list.stock_list_rule.rule)
    terms = rules.location_terms(rule, active_locations())
    sums = _sums(terms, None if every_sku else skus)
    figures = {}
    for sku in skus:
        total, unit_type = sums.get(sku, (0, UnitType.QTY))
        figures[sku] = (rule.finish(total), unit_type)
    now = timezone.now()
    upsert(
        StockListResult,
        columns=["stock_list", "sku", "stock", "unit_type", "computed_at"],
        rows=[(stock_list.pk, sku, *figure, now) for sku, figure in figures.items()],
        conflict=["stock_list", "sku"],
        update=["stock", "unit_type", "computed_at"],
    )
    outcome = Outcome(skus=len(figures))
    if stock_list.remote_id is None:
        return outcome
    rows = []
    for start in range(0, len(skus), PRODUCT_LOOKUP_CHUNK):
        products, _ambiguous = omnitron_products_by_sku(skus[start : start + PRODUCT_LOOKUP_CHUNK])
        for sku, product in products.items():
            stock, unit_type = figures[sku]
            rows.append(
                {
                    "product_id": product.pk,
                    "stock_list_id": stock_list.remote_id,
                    "stock": stock,
                    "unit_type": unit_type,
                    # Like an ERP's stock update, the figure accounts for everything sold.
                    "sold_quantity_unreported": 0,
                }
            )
    product_stocks_upsert(rows=rows)
    outcome.written = len(rows)
    outcome.without_product = len(figures) - len(rows)
    return outcome


def active_locations() -> list[rules.ActiveLocation]:
    """Locations whose stock counts: active, of an active provider."""
    return [
        rules.ActiveLocation(id=pk, code=code, provider_code=provider, should_add_reservations=add)
        for pk, code, provider, add in StockLocation.objects.filter(
            is_active=True, provider__is_active=True
        ).values_list("pk", "code", "provider__code", "provider__should_add_reservations")
    ]


def _sums(
    terms: dict[int, rules.LocationTerms], skus: list[str] | None
) -> dict[str, tuple[int, str]]:
    """SKU → (sum of its active rows' contributions, unit type), in one aggregate query.

    The rule's terms become a CASE over location ids (ints from the database, written into the
    statement), grouped by (safety stock, reservations subtracted).
    """
    if not terms or skus == []:
        return {}
    groups: dict[tuple[int, bool], list[int]] = defaultdict(list)
    for location_id, term in terms.items():
        groups[(term.safety_stock, term.subtract_reservations)].append(location_id)
    branches = []
    for (safety, subtract), ids in sorted(groups.items()):
        held = "s.stock - s.reserved_stock" if subtract else "s.stock"
        left = f"{held} - {int(safety)}"
        branches.append(
            f"WHEN s.location_id IN ({_ints(ids)}) THEN CASE WHEN {left} > 0 THEN {left} ELSE 0 END"
        )
    table = connection.ops.quote_name(Stock._meta.db_table)
    sql = (
        f"SELECT s.sku, SUM(CASE {' '.join(branches)} ELSE 0 END), MAX(s.unit_type) "  # noqa: S608
        f"FROM {table} s WHERE s.is_active = %s AND s.location_id IN ({_ints(terms)})"
    )
    params: list = [True]
    if skus is not None:
        if connection.vendor == "postgresql":
            sql += " AND s.sku = ANY(%s)"
            params.append(list(skus))
        else:
            sql += f" AND s.sku IN ({', '.join(['%s'] * len(skus))})"
            params.extend(skus)
    sql += " GROUP BY s.sku"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {sku: (int(total), unit_type) for sku, total, unit_type in cursor.fetchall()}


def _ints(values: Iterable[int]) -> str:
    return ", ".join(str(int(value)) for value in sorted(values))
