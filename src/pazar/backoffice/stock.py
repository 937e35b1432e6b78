"""Whippy Ware as operators read it: one SKU's stock at every location, and what each stock
list's rule makes of it, location by location.

The figures are computed here for one SKU with Whippy Ware's own rule functions, the same terms
the worker's aggregate query applies, so the page shows the figure a list will hold as soon as
a rule is saved, next to the one the worker last stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from pazar.catalog.selectors import omnitron_products_by_sku
from pazar.inventory.models import ProductStock
from pazar.whippy import rules
from pazar.whippy.models import PendingSku, Stock, StockList, StockListResult
from pazar.whippy.services.aggregation import active_locations, computable_stock_lists


@dataclass(frozen=True)
class LocationLine:
    """A location's row for the SKU, and what it adds to the figure (None: not counted)."""

    stock: Stock
    counted: int | None
    why_not: str = ""


@dataclass
class Figure:
    """What one rule makes of the SKU's stock: per location, then in all."""

    lines: list[LocationLine]
    total: int  # the sum of what the locations add
    figure: int  # after the global safety stock and the minimum

    @property
    def held_back(self) -> int:
        return self.total - self.figure


@dataclass
class ListFigure:
    stock_list: StockList
    computed: Figure
    stored: StockListResult | None
    pending: bool  # the worker has yet to recompute it
    omnitron: Decimal | None  # the stock the Omnitron list holds for the SKU's product


@dataclass
class SkuStock:
    sku: str
    stocks: list[Stock]
    lists: list[ListFigure] = field(default_factory=list)
    other_lists: list[StockList] = field(default_factory=list)  # inactive, or `sql` rules


def sku_stocks(sku: str) -> list[Stock]:
    return list(
        Stock.objects.filter(sku=sku)
        .select_related("location__provider")
        .order_by("location__provider__code", "location__code")
    )


def figure_of(rule: dict, stocks: list[Stock], locations=None) -> Figure:
    """What a `location_sum` rule (checked already) makes of a SKU's stock rows."""
    parsed = rules.parse_location_sum(rule)
    terms = rules.location_terms(parsed, locations if locations is not None else active_locations())
    lines, total = [], 0
    for stock in stocks:
        term = terms.get(stock.location_id)
        if not stock.is_active:
            lines.append(LocationLine(stock, None, "inactive row"))
        elif term is None:
            lines.append(LocationLine(stock, None, "no block matches, or the location is off"))
        else:
            counted = rules.contribution(stock.stock, stock.reserved_stock, term)
            total += counted
            lines.append(LocationLine(stock, counted))
    return Figure(lines=lines, total=total, figure=parsed.finish(total))


def sku_stock(*, sku: str) -> SkuStock:
    """The SKU at every location, and each stock list's figure: computed now and stored."""
    stocks = sku_stocks(sku)
    result = SkuStock(sku=sku, stocks=stocks)
    computable = list(
        computable_stock_lists().select_related("stock_list_rule", "remote").order_by("code")
    )
    ids = [stock_list.pk for stock_list in computable]
    stored = {
        r.stock_list_id: r for r in StockListResult.objects.filter(stock_list_id__in=ids, sku=sku)
    }
    pending = set(
        PendingSku.objects.filter(stock_list_id__in=ids, sku=sku).values_list(
            "stock_list_id", flat=True
        )
    )
    # The product the worker writes the SKU's figure to, found as it finds it (the operator's
    # own product, else the one seller product with that SKU).
    product = omnitron_products_by_sku([sku])[0].get(sku)
    omnitron = (
        dict(
            ProductStock.objects.filter(
                stock_list_id__in=[s.remote_id for s in computable if s.remote_id],
                product_id=product.pk,
            ).values_list("stock_list_id", "stock")
        )
        if product is not None
        else {}
    )
    locations = active_locations()
    for stock_list in computable:
        rule = stock_list.stock_list_rule
        if rules.rule_errors(rule.rule_type, rule.rule):
            result.other_lists.append(stock_list)
            continue
        result.lists.append(
            ListFigure(
                stock_list=stock_list,
                computed=figure_of(rule.rule, stocks, locations),
                stored=stored.get(stock_list.pk),
                pending=stock_list.pk in pending,
                omnitron=omnitron.get(stock_list.remote_id),
            )
        )
    result.other_lists += list(
        StockList.objects.exclude(pk__in=ids).select_related("stock_list_rule").order_by("code")
    )
    return result


@dataclass(frozen=True)
class Block:
    providers: list[str]  # empty: every provider
    locations: list[str]  # empty: every location
    safety_stock: int


def build_rule(
    *, blocks: list[Block], global_safety_stock: int, subtract_reservations: bool, min_figure: int
) -> dict:
    """A `location_sum` rule in Whippy Ware's JSON from what the rule builder's form holds."""
    return {
        "blocks": [
            {
                "providers": block.providers or rules.ANY,
                "locations": block.locations or rules.ANY,
                "safety_stock_per_location": block.safety_stock,
            }
            for block in blocks
        ],
        "global_safety_stock": global_safety_stock,
        "subtract_reservations": subtract_reservations,
        "min": min_figure,
    }


def blocks_of(rule: dict) -> list[Block]:
    """The rule builder's blocks of a stored `location_sum` rule."""
    found = []
    for block in rule.get("blocks") or []:
        providers, locations = block.get("providers"), block.get("locations")
        found.append(
            Block(
                providers=[] if providers == rules.ANY else list(providers or []),
                locations=[] if locations == rules.ANY else list(locations or []),
                safety_stock=block.get("safety_stock_per_location", block.get("safety_stock", 0)),
            )
        )
    return found
