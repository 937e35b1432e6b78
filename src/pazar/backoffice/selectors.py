"""Reads behind the back-office pages: the approval queue side by side, batches as people follow
them (progress, files, error rows), and the seller panel's own lists."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pazar.accounts.models import SellerAccessToken
from pazar.accounts.selectors import token_holder_may_act
from pazar.backoffice import labels
from pazar.backoffice.models import PendingProduct
from pazar.batches import files
from pazar.batches.models import BatchImport, BatchRequest, BatchStatus
from pazar.catalog.models import (
    REVISION_FIELDS,
    ApprovalStatus,
    Attribute,
    Category,
    Product,
    ProductRevision,
    revision_data,
)
from pazar.catalog.services.approval import PRE_PRODUCTS

# --- the approval queue ---------------------------------------------------------------------


def approval_queue() -> QuerySet[PendingProduct]:
    """What waits for an operator: new products and changes to live ones, longest waiting first.

    A change waits since it was proposed, a new product since it was created (`waiting_since_at`):
    the list and the "next" after a decision follow this one order."""
    pending = ProductRevision.objects.filter(status=ApprovalStatus.PENDING)
    proposed = pending.filter(product=OuterRef("pk")).order_by("created_at").values("created_at")
    return (
        PendingProduct.objects.filter(PRE_PRODUCTS, approval_status=ApprovalStatus.PENDING)
        .annotate(waiting_since_at=Coalesce(Subquery(proposed[:1]), F("created_at")))
        .select_related("seller", "category")
        .prefetch_related(Prefetch("revisions", queryset=pending, to_attr="pending_revisions"))
        .order_by("waiting_since_at", "pk")
    )


def pending_revision(product: Product) -> ProductRevision | None:
    revisions = getattr(product, "pending_revisions", None)
    if revisions is None:
        revisions = list(product.revisions.filter(status=ApprovalStatus.PENDING))
    return revisions[0] if revisions else None


FIELD_LABELS = {
    "name": _("Name"),
    "base_code": _("Base code"),
    "category": _("Category"),
    "attributes": _("Attributes"),
    "images": _("Images"),
    "videos": _("Videos"),
    "restrict_for_others": _("Restricted for other sellers"),
    "catalog_product": _("Catalog product"),
}


@dataclass(frozen=True)
class FieldChange:
    """One line of the side-by-side view: a field (or one attribute) now and as proposed."""

    label: str
    current: str
    proposed: str

    @property
    def changed(self) -> bool:
        return self.current != self.proposed


@dataclass
class ApprovalReview:
    product: Product
    is_new: bool
    waiting_since: datetime
    lines: list[FieldChange] = field(default_factory=list)

    @property
    def changes(self) -> list[FieldChange]:
        return [line for line in self.lines if line.changed]

    @property
    def summary(self) -> str:
        """A new product in one line: its category and attributes."""
        attributes = self.product.attributes or {}
        names = attribute_names(attributes)
        parts = [str(self.product.category or "—")]
        parts += [
            f"{names.get(key, key)}: {_display(value)}" for key, value in sorted(attributes.items())
        ]
        return " · ".join(parts)


def _display(value) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _names_of(data: list[dict], known: dict) -> dict[tuple[str, int], str]:
    """Category names and catalog product SKUs the shown data refers to, beyond the `known`
    ones: no query at all unless a change points somewhere new."""
    names = dict(known)
    category_ids = {d["category"] for d in data if d.get("category")} - {
        pk for kind, pk in names if kind == "category"
    }
    product_ids = {d["catalog_product"] for d in data if d.get("catalog_product")}
    if category_ids:
        for pk, name in Category.objects.filter(pk__in=category_ids).values_list("pk", "name"):
            names["category", pk] = name
    if product_ids:
        for pk, sku in Product.objects.filter(pk__in=product_ids).values_list("pk", "sku"):
            names["catalog_product", pk] = sku
    return names


def _lines(current: dict | None, proposed: dict, names: dict) -> list[FieldChange]:
    def shown(name, data):
        if data is None:
            return "—"
        value = data.get(name)
        if name in ("category", "catalog_product") and value:
            return names.get((name, value), f"#{value}")
        return _display(value)

    lines = []
    for name in REVISION_FIELDS:
        if name == "attributes":
            now = (current or {}).get("attributes") or {}
            then = proposed.get("attributes") or {}
            attribute = attribute_names(set(now) | set(then))
            for key in sorted(set(now) | set(then)):
                lines.append(
                    FieldChange(
                        label=f"{FIELD_LABELS['attributes']} › {attribute.get(key, key)}",
                        current=_display(now.get(key)) if current is not None else "—",
                        proposed=_display(then.get(key)),
                    )
                )
            continue
        lines.append(
            FieldChange(str(FIELD_LABELS[name]), shown(name, current), shown(name, proposed))
        )
    return lines


def approval_review(product: Product) -> ApprovalReview:
    """The product as it is next to what its seller proposes.

    A new product has nothing current: every field is proposed. A change to a live product
    compares its approved data with the pending revision's.
    """
    revision = pending_revision(product)
    data = revision_data(product)
    if revision is None:
        current, proposed, since = None, data, product.created_at
    else:
        current, proposed, since = data, revision.data, revision.created_at
    known = {}
    if product.category_id and Product.category.is_cached(product):
        known["category", product.category_id] = product.category.name
    names = _names_of([d for d in (current, proposed) if d], known)
    return ApprovalReview(
        product=product,
        is_new=revision is None,
        waiting_since=since,
        lines=_lines(current, proposed, names),
    )


# --- batches as people follow them ----------------------------------------------------------

# How far into a seller's queue a waiting batch looks for its place ("1000 batches ahead" at most).
QUEUE_LOOKAHEAD = 1000


@dataclass(frozen=True)
class BatchProgress:
    batch: BatchRequest
    ahead: int  # the seller's batches that go first (while waiting)

    @property
    def is_open(self) -> bool:
        return self.batch.status in (BatchStatus.WAITING, BatchStatus.PROCESSING)

    @property
    def done(self) -> int:
        return self.batch.succeeded + self.batch.failed

    def _percent(self, count: int) -> int:
        total = self.batch.total
        return round(100 * count / total) if total else 0

    @property
    def percent(self) -> int:
        if self.batch.status in (BatchStatus.COMPLETED, BatchStatus.FAILED):
            return 100
        return self._percent(self.done)

    @property
    def succeeded_percent(self) -> int:
        return self._percent(self.batch.succeeded)

    @property
    def failed_percent(self) -> int:
        return self._percent(self.batch.failed) if self.batch.failed else 0

    @property
    def state(self) -> str:
        """`labels.BATCH_STATE`'s key: completed, with errors, all rows failed, …"""
        return labels.batch_state(self.batch)

    @property
    def state_label(self) -> str:
        return labels.batch_state_label(self.state)

    @property
    def failed_rate(self) -> float | None:
        """The share of the batch's rows that failed, in percent (one decimal), once any ran."""
        if not self.done:
            return None
        return round(100 * self.batch.failed / self.done, 1)

    @property
    def elapsed_seconds(self) -> int | None:
        start = self.batch.started_at
        end = self.batch.finished_at or timezone.now()
        return max(0, int((end - start).total_seconds())) if start else None

    @property
    def rows_per_second(self) -> float | None:
        seconds = self.batch.processed_in
        return round(self.batch.total / seconds, 1) if seconds and self.batch.total else None


def batch_progress(batch: BatchRequest) -> BatchProgress:
    """Where the batch stands; a waiting one also says how many of its seller's batches go first.

    The queue is read in the engine's own order (the database's, by creation time then id),
    not compared in Python, whose datetimes may not match the stored precision.
    """
    ahead = 0
    if batch.status == BatchStatus.WAITING:
        queue = list(
            BatchRequest.objects.filter(
                seller_id=batch.seller_id,
                status__in=(BatchStatus.WAITING, BatchStatus.PROCESSING),
            )
            .order_by("created_at", "id")
            .values_list("pk", flat=True)[:QUEUE_LOOKAHEAD]
        )
        ahead = queue.index(batch.pk) if batch.pk in queue else len(queue)
    return BatchProgress(batch=batch, ahead=ahead)


def batch_file_links(batch: BatchRequest) -> dict[str, str]:
    """Download links of the batch's files (each valid for an hour), by kind."""
    links = {}
    for kind in files.KINDS:
        if getattr(batch, f"{kind}_file"):
            path = reverse(
                "seller-center:batch-request-file", kwargs={"id": batch.id, "kind": kind}
            )
            links[kind] = f"{path}?token={files.sign(batch.id, kind)}"
    return links


# --- failed rows, as people read them ----------------------------------------------------
# The error file keeps its documented format (`index` from 0, dotted field paths, `codes`); the
# pages show each error with the field's label, the row's number from 1, and identical errors
# grouped with a count.

ERROR_FIELD_LABELS = {
    "sku": _("SKU"),
    "name": _("Name"),
    "base_code": _("Base code"),
    "category": _("Category"),
    "attributes": _("Attributes"),
    "images": _("Images"),
    "videos": _("Videos"),
    "restrict_for_others": _("Restricted for other sellers"),
    "product": _("Catalog product"),
    "catalog_product": _("Catalog product"),
    "prices": _("Price"),
    "stocks": _("Stock"),
    "price_list": _("Price list"),
    "stock_list": _("Stock list"),
    "currency_type": _("Currency"),
    "price": _("Price"),
    "retail_price": _("Retail price"),
    "tax_rate": _("Tax rate"),
    "stock": _("Quantity"),
    "unit_type": _("Unit"),
    "url": _("Address"),
    "order": _("Order"),
    "row": _("Row"),
}
# Errors whose stored message speaks to the API's client say it to a person instead.
ERROR_CODE_MESSAGES = {
    "price_list_not_open": _(
        "You may not use this price list: it does not exist or is not open to you."
    ),
    "stock_list_not_open": _(
        "You may not use this stock list: it does not exist or is not open to you."
    ),
    "unknown_sku": _("None of your products has this SKU."),
    "unknown_category": _("There is no such category."),
    "unknown_attribute": _("The product's category has no such attribute."),
    "attribute_required": _("The product's category needs this attribute."),
    "required": _("This field is required."),
}

# An id that is not one, in a field that names a list or a category: most often a name or code
# typed in a file that matches nothing.
FIELD_CODE_MESSAGES = {
    ("price_list", "invalid"): _("There is no such price list: give its code, name or id."),
    ("stock_list", "invalid"): _("There is no such stock list: give its code, name or id."),
    ("category", "invalid"): _("There is no such category: give its code or id."),
}


@dataclass(frozen=True)
class ErrorLine:
    """One error of a failed row as shown: the field's label, the message, its code."""

    field: str
    message: str
    code: str = ""

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


@dataclass(frozen=True)
class ErrorRow:
    index: int | None
    sku: str
    messages: list[str]
    codes: list[str] = field(default_factory=list)  # the machine-readable code of each message
    shown: list[ErrorLine] = field(default_factory=list)  # as people read them

    @property
    def number(self) -> int | None:
        """The row's number as a person counts, from 1 (the file's `index` counts from 0)."""
        return self.index + 1 if isinstance(self.index, int) else None

    @property
    def lines(self) -> list[tuple[str, str]]:
        """`(message, code)` pairs; an error file written before codes existed has none."""
        codes = self.codes if len(self.codes) == len(self.messages) else [""] * len(self.messages)
        return list(zip(self.messages, codes, strict=True))


@dataclass(frozen=True)
class ErrorGroup:
    """Identical errors of several rows, counted once."""

    line: ErrorLine
    count: int
    first_row: int | None


def _paths(errors, path: tuple = ()) -> list[tuple[tuple, str]]:
    """`{"prices": {"0": {"price_list": ["…"]}}}` → `[(("prices", "0", "price_list"), "…")]`."""
    if isinstance(errors, dict):
        found = []
        for key, value in errors.items():
            found += _paths(value, (*path, str(key)))
        return found
    if isinstance(errors, list):
        found = []
        for item in errors:
            found += _paths(item, path) if isinstance(item, dict | list) else [(path, str(item))]
        return found
    return [(path, str(errors))]


def _flatten(errors, path: str = "") -> list[str]:
    """`{"prices": {"0": {"price_list": ["…"]}}}` → `["prices.0.price_list: …"]`."""
    lines = []
    for parts, message in _paths(errors, tuple(path.split(".")) if path else ()):
        dotted = ".".join(parts)
        if dotted and dotted != "non_field_errors":
            lines.append(f"{dotted}: {message}")
        else:
            lines.append(message)
    return lines


def attribute_names(keys) -> dict[str, str]:
    """Attribute keys → their names in the active language (`COLOR` → "Renk" in Turkish)."""
    keys = {key for key in keys if key}
    if not keys:
        return {}
    language = (get_language() or "en").lower()
    names = {}
    for key, name, translations in Attribute.objects.filter(key__in=keys).values_list(
        "key", "name", "translations"
    ):
        translations = translations or {}
        local = next(
            (
                values.get("name")
                for code, values in translations.items()
                if isinstance(values, dict) and code.lower().split("-")[0] == language[:2]
            ),
            None,
        )
        names[key] = local or name
    return names


def _label(parts: tuple, attributes: dict[str, str]) -> str:
    """`("prices", "0", "currency_type")` → "Price 1 › Currency"; `("attributes", "COLOR")` →
    the attribute's name ("Colour")."""
    shown = []
    for position, part in enumerate(parts):
        before = parts[position - 1] if position else ""
        if part == "non_field_errors":
            continue
        if before == "attributes":  # the attribute's name says enough
            shown[-1] = attributes.get(part, part)
        elif part.isdigit():
            if shown:
                shown[-1] = f"{shown[-1]} {int(part) + 1}"
        else:
            shown.append(str(ERROR_FIELD_LABELS.get(part, part.replace("_", " ").capitalize())))
    return " › ".join(shown)


def _shown(errors, codes: list[str], attributes: dict[str, str]) -> list[ErrorLine]:
    paths = _paths(errors)
    codes = codes if len(codes) == len(paths) else [""] * len(paths)
    return [
        ErrorLine(
            field=_label(parts, attributes),
            message=str(
                FIELD_CODE_MESSAGES.get(
                    (parts[-1] if parts else "", code), ERROR_CODE_MESSAGES.get(code, message)
                )
            ),
            code=code,
        )
        for (parts, message), code in zip(paths, codes, strict=True)
    ]


def _attribute_keys(rows: list[dict]) -> set[str]:
    keys = set()
    for row in rows:
        errors = row.get("errors")
        if isinstance(errors, dict) and isinstance(errors.get("attributes"), dict):
            keys |= set(errors["attributes"])
    return keys


def error_rows_of(rows: list) -> list[ErrorRow]:
    """The error file's rows as people read them."""
    rows = [row for row in rows if isinstance(row, dict)]
    attributes = attribute_names(_attribute_keys(rows))
    result = []
    for row in rows:
        codes = [line.rpartition(": ")[2] for line in _flatten(row.get("codes", {}))]
        result.append(
            ErrorRow(
                index=row.get("index"),
                sku=str(row.get("sku") or ""),
                messages=_flatten(row.get("errors", {})),
                codes=codes,
                shown=_shown(row.get("errors", {}), codes, attributes),
            )
        )
    return result


def error_groups(rows: list[ErrorRow]) -> list[ErrorGroup]:
    """Identical errors (same field, message and code) with how many rows have them; most first."""
    counts: dict[ErrorLine, list] = {}
    for row in rows:
        for line in dict.fromkeys(row.shown):  # a row counts once per distinct error
            seen = counts.setdefault(line, [0, row.number])
            seen[0] += 1
    groups = [ErrorGroup(line, count, first) for line, (count, first) in counts.items()]
    return sorted(groups, key=lambda group: -group.count)


ERROR_ROWS_PER_PAGE = 50


def batch_error_rows(batch: BatchRequest, *, page: int | str = 1) -> Page | None:
    """A page of the batch's failed rows, each with its errors one per line; None without a file.

    The page's `groups` are the identical errors of the whole file, counted."""
    if not batch.error_file:
        return None
    try:
        rows = files.read_json(batch.error_file)
    except (OSError, ValueError):
        return None
    errors = error_rows_of(rows if isinstance(rows, list) else [])
    shown = Paginator(errors, ERROR_ROWS_PER_PAGE).get_page(page)
    shown.groups = error_groups(errors)
    return shown


BATCH_STATE_FILTERS = {
    "waiting": Q(status=BatchStatus.WAITING),
    "processing": Q(status=BatchStatus.PROCESSING),
    "completed": Q(status=BatchStatus.COMPLETED, failed=0),
    "completed_with_errors": Q(status=BatchStatus.COMPLETED, failed__gt=0, succeeded__gt=0),
    "all_failed": Q(status=BatchStatus.COMPLETED, failed__gt=0, succeeded=0),
    "failed": Q(status=BatchStatus.FAILED),
}


def batches_in_state(queryset: QuerySet[BatchRequest], state: str) -> QuerySet[BatchRequest]:
    return queryset.filter(BATCH_STATE_FILTERS[state]) if state in BATCH_STATE_FILTERS else queryset


def batch_state_counts(queryset: QuerySet[BatchRequest]) -> dict[str, int]:
    """How many of these batches are in each of `labels.BATCH_STATE` (one query)."""
    return queryset.order_by().aggregate(
        **{state: Count("pk", filter=condition) for state, condition in BATCH_STATE_FILTERS.items()}
    )


# --- the seller panel -----------------------------------------------------------------------


def panel_session(*, token_id) -> SellerAccessToken | None:
    """The login session a panel visitor holds, if it still stands (seller and user active)."""
    if not token_id:
        return None
    token = (
        SellerAccessToken.objects.select_related("seller", "user", "user__seller_membership")
        .filter(pk=token_id, kind=SellerAccessToken.Kind.SESSION)
        .first()
    )
    if token is None or not token.is_active:
        return None
    if not token_holder_may_act(token):  # also a user since removed from the seller
        return None
    return token


def seller_products(
    *, seller, live: str = "", review: str = "", text: str = ""
) -> QuerySet[Product]:
    """All of a seller's products, live or not, with their approval state; newest change first.

    `live` ("yes"/"no") asks whether a product is in the catalog; `review` how its last proposal
    was reviewed (pending, approved, rejected): the two are separate questions."""
    pending = ProductRevision.objects.filter(product=OuterRef("pk"), status=ApprovalStatus.PENDING)
    products = (
        Product.objects.filter(seller=seller)
        .select_related("category")
        .annotate(has_pending_change=Exists(pending))
        .order_by("-updated_at", "-pk")
    )
    if live in ("yes", "no"):
        products = products.filter(approved=live == "yes")
    if review in ApprovalStatus.values:
        products = products.filter(approval_status=review)
    if text:
        products = products.filter(Q(sku__icontains=text) | Q(name__icontains=text))
    return products


def seller_product(*, seller, product_id) -> Product | None:
    return seller_products(seller=seller).filter(uuid=product_id).first()


def seller_batches(
    *,
    seller,
    status: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[BatchRequest]:
    """A seller's batches, newest first; `until` is exclusive."""
    batches = BatchRequest.objects.filter(seller=seller).select_related("seller")
    if status is not None:
        batches = batches.filter(status=status)
    if since:
        batches = batches.filter(created_at__gte=since)
    if until:
        batches = batches.filter(created_at__lt=until)
    return batches.order_by("-created_at", "-pk")


def seller_batch(*, seller, batch_id) -> BatchRequest | None:
    return seller_batches(seller=seller).filter(pk=batch_id).first()


# --- files sellers upload -------------------------------------------------------------------


def seller_imports(*, seller) -> QuerySet[BatchImport]:
    """A seller's uploaded files, newest first."""
    return BatchImport.objects.filter(seller=seller).order_by("-created_at", "-pk")


def seller_import(*, seller, import_id) -> BatchImport | None:
    return seller_imports(seller=seller).filter(pk=import_id).first()


@dataclass(frozen=True)
class ImportProgress:
    """Where an uploaded file stands: its batches' progress added up. The rows of a batch the
    engine gave up on count as failed."""

    file_import: BatchImport
    batches: list[BatchProgress]

    @property
    def is_open(self) -> bool:
        return any(item.is_open for item in self.batches)

    @property
    def total(self) -> int:
        return self.file_import.total

    @property
    def succeeded(self) -> int:
        return sum(item.batch.succeeded for item in self.batches)

    @property
    def failed(self) -> int:
        return sum(
            item.batch.total if item.batch.status == BatchStatus.FAILED else item.batch.failed
            for item in self.batches
        )

    @property
    def done(self) -> int:
        return self.succeeded + self.failed

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def succeeded_percent(self) -> int:
        return round(100 * self.succeeded / self.total) if self.total else 0

    @property
    def failed_percent(self) -> int:
        return round(100 * self.failed / self.total) if self.total else 0

    @property
    def state(self) -> str:
        states = {item.batch.status for item in self.batches}
        if states & {BatchStatus.PROCESSING} or (BatchStatus.WAITING in states and len(states) > 1):
            return "processing"
        if states == {BatchStatus.WAITING}:
            return "waiting"
        if not self.failed:
            return "completed"
        return "completed_with_errors" if self.succeeded else "all_failed"

    @property
    def state_label(self) -> str:
        return labels.batch_state_label(self.state)


def import_progress(file_import: BatchImport) -> ImportProgress:
    batches = file_import.batches.select_related("seller").order_by("import_offset")
    return ImportProgress(file_import, [batch_progress(batch) for batch in batches])
