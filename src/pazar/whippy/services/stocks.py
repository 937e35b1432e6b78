"""Writes of stock rows and reservations; each marks its SKUs for the worker."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from pazar.core.errors import ApplicationError
from pazar.core.services import model_update
from pazar.core.sql import upsert
from pazar.whippy.error_codes import ErrorCode
from pazar.whippy.models import Provider, Stock, StockLocation, UnitType
from pazar.whippy.services.aggregation import pending_mark_skus

# Fields a stock row may leave out: a new row takes the default, an existing one keeps its value.
OPTIONAL_DEFAULTS = {
    "reserved_stock": 0,
    "unit_type": UnitType.QTY,
    "stock_type": "standard",
    "period": None,
    "is_active": True,
}
STOCK_FIELDS = ["stock", *OPTIONAL_DEFAULTS]


@dataclass
class RowResult:
    """What became of one row of a bulk write: `created`, `updated` or `failed`."""

    index: int
    status: str
    id: int | None = None
    errors: dict = field(default_factory=dict)


@transaction.atomic
def stocks_upsert(*, rows: list[dict]) -> list[RowResult]:
    """Store stock rows `{sku, provider, location, stock, …}` (codes), one result per row.

    A (sku, provider, location) triple that exists is updated, also when it repeats within
    `rows` (the later row wins). A row naming an unknown provider, or a location its provider
    does not have, fails alone; the others are stored. One upsert statement per set of given
    optional fields (usually one), whatever the number of rows.
    """
    known_providers, locations = _resolve(rows)
    results: list[RowResult] = []
    merged: dict[tuple[str, int], dict] = {}
    members: dict[tuple[str, int], list[int]] = {}
    for index, row in enumerate(rows):
        location_id = locations.get((row["provider"], row["location"]))
        if location_id is None:
            results.append(RowResult(index, "failed", errors=_unknown(row, known_providers)))
            continue
        triple = (row["sku"], location_id)
        results.append(RowResult(index, "created"))
        merged[triple] = {**merged.get(triple, {}), **row}
        members.setdefault(triple, []).append(index)
    seen = set(_existing(merged))
    ids = _write(merged)
    for triple, indexes in members.items():
        for index in indexes:
            results[index].status = "updated" if triple in seen else "created"
            results[index].id = ids[triple]
            seen.add(triple)
    pending_mark_skus(skus=[sku for sku, _ in merged])
    return results


def _resolve(rows: list[dict]) -> tuple[set[str], dict[tuple[str, str], int]]:
    """The known provider codes and (provider code, location code) → location id."""
    providers = {row["provider"] for row in rows}
    codes = {row["location"] for row in rows}
    known = set(Provider.objects.filter(code__in=providers).values_list("code", flat=True))
    locations = {
        (provider, code): pk
        for pk, provider, code in StockLocation.objects.filter(
            provider__code__in=known, code__in=codes
        ).values_list("pk", "provider__code", "code")
    }
    return known, locations


def _unknown(row: dict, known_providers: set[str]) -> dict:
    if row["provider"] not in known_providers:
        return {"provider": [f'Unknown provider "{row["provider"]}".']}
    return {"location": [f'The provider "{row["provider"]}" has no location "{row["location"]}".']}


def _existing(merged: dict) -> dict[tuple[str, int], int]:
    if not merged:
        return {}
    skus = {sku for sku, _ in merged}
    location_ids = {location_id for _, location_id in merged}
    return {
        (sku, location_id): pk
        for pk, sku, location_id in Stock.objects.filter(
            sku__in=skus, location_id__in=location_ids
        ).values_list("pk", "sku", "location_id")
        if (sku, location_id) in merged
    }


def _write(merged: dict) -> dict[tuple[str, int], int]:
    """Upsert the rows, grouped by which optional fields they give; → triple → id."""
    groups: dict[tuple[str, ...], list] = {}
    for triple, row in sorted(merged.items()):
        given = tuple(name for name in OPTIONAL_DEFAULTS if name in row)
        groups.setdefault(given, []).append((triple, row))
    now = timezone.now()
    columns = ["sku", "location", "stock", *OPTIONAL_DEFAULTS, "created_at", "updated_at"]
    ids = {}
    for given, members in groups.items():
        returned = upsert(
            Stock,
            columns=columns,
            rows=[
                (
                    sku,
                    location_id,
                    row["stock"],
                    *(row.get(name, default) for name, default in OPTIONAL_DEFAULTS.items()),
                    now,
                    now,
                )
                for (sku, location_id), row in members
            ],
            conflict=["sku", "location"],
            update=["stock", *given, "updated_at"],
            returning=["id", "sku", "location"],
        )
        ids.update({(sku, location_id): pk for pk, sku, location_id in returned})
    return ids


@transaction.atomic
def stock_update(*, stock: Stock, data: dict) -> Stock:
    """Change a stock row's quantities or attributes; its SKU and place stay."""
    if model_update(instance=stock, fields=STOCK_FIELDS, data=data):
        pending_mark_skus(skus=[stock.sku])
    return stock


@transaction.atomic
def stock_delete(*, stock: Stock) -> None:
    stock.delete()
    pending_mark_skus(skus=[stock.sku])


# --- reservations -----------------------------------------------------------------------------


def _locked(stock_id: int) -> Stock:
    """The row, locked until the transaction ends (PostgreSQL); on SQLite the IMMEDIATE
    transaction already holds the database's write lock, so writers run one at a time."""
    return Stock.objects.select_for_update().select_related("location__provider").get(pk=stock_id)


@transaction.atomic
def stock_reserve(*, stock_id: int, quantity: int) -> Stock:
    """Hold `quantity` of the row's available stock (stock − reserved) for an open order.

    More than is available is refused whole (`insufficient_stock`): available stock never goes
    below zero, also when reservations of the last units race.
    """
    stock = _locked(stock_id)
    available = stock.stock - stock.reserved_stock
    if quantity > available:
        raise ApplicationError(
            f'Only {max(available, 0)} of SKU "{stock.sku}" are available at this location; '
            f"{quantity} cannot be reserved.",
            code=ErrorCode.INSUFFICIENT_STOCK,
        )
    Stock.objects.filter(pk=stock.pk).update(
        reserved_stock=F("reserved_stock") + quantity, updated_at=timezone.now()
    )
    stock.refresh_from_db()
    pending_mark_skus(skus=[stock.sku])
    return stock


@transaction.atomic
def stock_release(*, stock_id: int, quantity: int) -> Stock:
    """Give back `quantity` reserved earlier (order sent to the ERP, or cancelled)."""
    stock = _locked(stock_id)
    if quantity > stock.reserved_stock:
        raise ApplicationError(
            f'Only {stock.reserved_stock} of SKU "{stock.sku}" are reserved at this location; '
            f"{quantity} cannot be released.",
            code=ErrorCode.RELEASE_EXCEEDS_RESERVED,
        )
    Stock.objects.filter(pk=stock.pk).update(
        reserved_stock=F("reserved_stock") - quantity, updated_at=timezone.now()
    )
    stock.refresh_from_db()
    pending_mark_skus(skus=[stock.sku])
    return stock
