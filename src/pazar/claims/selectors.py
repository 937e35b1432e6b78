"""Reads of claims that more than one view needs."""

from contextlib import suppress
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Sum, Value

from pazar.claims import spans
from pazar.claims.models import Claim, ClaimChange, ClaimCount, ClaimDateCount, ClaimEvent
from pazar.core.prepared import PreparedQuery
from pazar.fulfilment.models import PackageItem

DATE_FIELDS = (ClaimDateCount.Field.CREATED_AT, ClaimDateCount.Field.UPDATED_AT)
MICROSECOND = timedelta(microseconds=1)  # the resolution of the stored times


def channel_request(*, order_item_id: int, remote_id: str) -> Claim | None:
    """The request a sales channel already made for this order item under this remote id (its
    connector may send the same marketplace request again)."""
    if not remote_id:
        return None
    return (
        Claim.objects.filter(source_item_id=order_item_id, remote_id=remote_id)
        .order_by("pk")
        .first()
    )


def seller_claims(*, seller) -> QuerySet[Claim]:
    """The seller's claims with their reason, product and history, newest first (the seller
    panel's claims; CLM001 reads `seller_claim_list` and `claim_rows`)."""
    return (
        Claim.objects.filter(seller=seller)
        .select_related("reason", "order_item__product")
        .prefetch_related("history__user__seller_membership")
        .order_by("-created_at", "-pk")
    )


def seller_claim_list(*, seller) -> QuerySet[Claim]:
    """The seller's claims, newest first, for CLM001 to filter and count; `claim_rows` reads
    a page of them."""
    return Claim.objects.filter(seller=seller).order_by("-created_at", "-pk")


# What CLM001 shows of a claim (`claim_rows`): its columns, its product's SKU and its reason.
CLAIM_ROW_FIELDS = (
    "pk", "uuid", "seller_id", "order_item_id", "type", "status", "cancelled_by", "description",
    "return_code", "return_tracking_number", "return_tracking_url", "quantity", "refund_amount",
    "escalated", "received_at", "restocked", "created_at", "updated_at",
    "order_item__product__sku", "reason_id", "reason__uuid", "reason__subject",
    "reason__translations",
)  # fmt: skip


def _event_fields() -> tuple[str, ...]:
    return (
        "claim_id", "from_status", "to_status", "user_id",
        f"user__{get_user_model().USERNAME_FIELD}", "user__seller_membership__seller_id",
        "reason", "created_at",
    )  # fmt: skip


def _package_item_number() -> Subquery:
    """The number of the package item of the claim's order item (one at most), or NULL."""
    items = PackageItem.objects.filter(order_item=OuterRef("order_item_id")).order_by()
    return Subquery(items.values("number"))


def _claims_by_keys(keys: list[int]) -> QuerySet:
    return (
        Claim.objects.filter(pk__in=keys)
        .order_by()
        .annotate(package_item=_package_item_number())
        .values_list(*CLAIM_ROW_FIELDS, "package_item")
    )


def _events_by_claims(keys: list[int]) -> QuerySet:
    return ClaimEvent.objects.filter(claim_id__in=keys).order_by("pk").values_list(*_event_fields())


# The page's claims, then their events, by the page's keys (compiled once per page size).
_CLAIMS_BY_KEYS = PreparedQuery(_claims_by_keys, list, timestamps=True)
_EVENTS_BY_CLAIMS = PreparedQuery(_events_by_claims, list, timestamps=True)
_CLAIM_ROW_NAMES = (*CLAIM_ROW_FIELDS, "package_item")


def claim_rows(claims: QuerySet[Claim], bottom: int = 0, top: int | None = None) -> list[dict]:
    """`claims[bottom:top]` (filtered and ordered) as CLM001 reads them, without a model
    instance: a dict of `CLAIM_ROW_FIELDS` per claim, with `package_item`, the number of its
    order item's package item or None, and `history`, its events oldest first as tuples
    (`claim_id`, `from_status`, `to_status`, `user_id`, the user's username, the user's seller
    id, `reason`, `created_at`). Three statements whatever the page's size: the page's keys,
    chosen from the filtered, ordered claims alone (not joined), then only those claims with
    their SKU, reason and package item, then their events with their users."""
    keys = list(claims.values_list("pk", flat=True)[bottom:top])
    if not keys:
        return []
    found = _CLAIMS_BY_KEYS.all(keys, using=claims.db)
    by_key = {row[0]: dict(zip(_CLAIM_ROW_NAMES, row, strict=True)) for row in found}
    history: dict[int, list[tuple]] = {key: [] for key in keys}
    for event in _EVENTS_BY_CLAIMS.all(keys, using=claims.db):
        history[event[0]].append(event)
    rows = []
    for key in keys:
        row = by_key.get(key)
        if row is not None:  # deleted since its key was read: not on the page
            row["history"] = history[key]
            rows.append(row)
    return rows


def claim_count(
    *, seller, types=None, cancelled_by=None, statuses=None, field=None, since=None, until=None
) -> int:
    """How many claims the seller has (of `types`, by `cancelled_by`, in `statuses`: each when
    given; with `field`, `created_at` or `updated_at`, at or after `since` and before `until`,
    either None for no bound), from the counts the services keep: the claims themselves are
    counted only in the less than an hour left at each end of a date range the kept spans do
    not cover (`claims.spans`)."""
    combo = Q()
    if types is not None:
        combo &= Q(type__in=types)
    if cancelled_by is not None:
        combo &= Q(cancelled_by__in=cancelled_by)
    if statuses is not None:
        combo &= Q(status__in=statuses)
    if field is None:
        counts = ClaimCount.objects.filter(combo, seller=seller)
        return counts.aggregate(n=Sum("count"))["n"] or 0
    # One statement: a `UNION ALL` of one index range per piece (the kept rows of each span
    # size, each end's claims as ones), summed; an `OR` of the ranges would read every row of
    # the seller's field instead.
    parts = spans.pieces(since, until)
    branches = []
    for span, first, end in parts.whole:
        bounds = {"start__gte": first, "start__lt": end}
        bounds = {name: value for name, value in bounds.items() if value is not None}
        rows = ClaimDateCount.objects.filter(combo, seller=seller, field=field, span=span, **bounds)
        branches.append(rows.annotate(n=F("count")).values_list("n"))
    for low, high in parts.rest:
        bounds = {f"{field}__gte": low, f"{field}__lt": high}
        bounds = {name: value for name, value in bounds.items() if value is not None}
        rows = Claim.objects.filter(combo, seller=seller, **bounds)
        branches.append(rows.order_by().annotate(n=Value(1)).values_list("n"))
    if not branches:
        return 0
    union = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    sql, params = union.query.sql_with_params()
    with connections[union.db].cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(SUM(n), 0) FROM ({sql}) counted", params)  # noqa: S608
        return int(cursor.fetchone()[0])


def claim_count_arguments(values: dict) -> dict | None:
    """`claim_count`'s arguments for CLM001's cleaned filter values (`type`, `cancelled_by`,
    `status`, `status__in`, and `created_at`/`updated_at` exact, `__gte`, `__lte`): a date
    range `[since, until)` of the one field the dates compare (`lte` and the exact time include
    the time itself); None when dates of both fields chose the claims (their claims are
    counted)."""
    fields = [f for f in DATE_FIELDS if any(name.startswith(f) for name in values)]
    if len(fields) > 1:
        return None
    arguments = {
        "types": [values["type"]] if "type" in values else None,
        "cancelled_by": [values["cancelled_by"]] if "cancelled_by" in values else None,
        "statuses": None,
    }
    if "status" in values:
        arguments["statuses"] = {values["status"]}
    if "status__in" in values:
        arguments["statuses"] = set(values["status__in"]) & (
            arguments["statuses"] or set(values["status__in"])
        )
    if fields:
        [field] = fields
        since = [values[name] for name in (field, f"{field}__gte") if name in values]
        until = []
        for name in (field, f"{field}__lte"):
            if name in values:
                with suppress(OverflowError):  # the last time there is: no bound
                    until.append(values[name] + MICROSECOND)
        arguments.update(
            field=field, since=max(since, default=None), until=min(until, default=None)
        )
    return arguments


def claim_changes(*, seller, after: int, limit: int) -> tuple[list[ClaimChange], int]:
    """The seller's claim changes after the cursor, oldest first, and the cursor to ask with
    next time; ids follow commit order (the seller's change lock, as for packages)."""
    page = list(
        ClaimChange.objects.filter(seller=seller, id__gt=after)
        .order_by("id")
        .select_related("claim", "claim__order")
        .only("id", "kind", "status", "created_at", "claim__uuid", "claim__type",
              "claim__order__number")[:limit]
    )  # fmt: skip
    return page, (page[-1].id if page else after)


def counted_seller_ids() -> list:
    """The sellers with claims or kept claim counts, in id order."""
    ids = set(Claim.objects.values_list("seller_id", flat=True).distinct().order_by())
    ids.update(ClaimCount.objects.values_list("seller_id", flat=True).distinct().order_by())
    ids.update(ClaimDateCount.objects.values_list("seller_id", flat=True).distinct().order_by())
    return sorted(ids)
