"""Reads behind the order pages: a seller's packages in the panel, an order in the admin.

Sellers see only their own packages (another seller's is a 404, as in the Seller Center's API);
operators see an order whole: its items and their statuses, its sellers' packages with their
history, and its claims with their refunds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from pazar.claims.models import Claim, ClaimEvent, ClaimStatus
from pazar.fulfilment import selectors as fulfilment_selectors
from pazar.fulfilment import transitions
from pazar.fulfilment.models import Package, PackageEvent, PackageItem, PackageStatus
from pazar.orders.models import Order, OrderItem, OrderItemStatus

# --- the seller's packages ------------------------------------------------------------------


def seller_packages(
    *,
    seller,
    status: int | None = None,
    text: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[Package]:
    """A seller's packages, newest first; `text` is a package, order or tracking number;
    `until` is exclusive."""
    packages = fulfilment_selectors.seller_packages(seller=seller).annotate(
        live_items=Count("items", filter=~Q(items__order_item__status=OrderItemStatus.CANCELLED))
    )
    if status is not None:
        packages = packages.filter(status=status)
    if text:
        packages = packages.filter(Q(number=text) | Q(order__number=text) | Q(tracking_number=text))
    if since:
        packages = packages.filter(created_at__gte=since)
    if until:
        packages = packages.filter(created_at__lt=until)
    return packages.order_by("-created_at", "-pk")


def package_status_counts(*, seller) -> dict[int, int]:
    """How many of the seller's packages are in each status, every status listed."""
    counts = dict(
        Package.objects.filter(seller=seller)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status.value: counts.get(status.value, 0) for status in PackageStatus}


def _who(event, seller_id) -> str:
    """A seller's own users by name; the marketplace's users are not named to sellers."""
    user = event.user
    if user is None:
        return str(_("System"))
    membership = getattr(user, "seller_membership", None)
    if membership is not None and membership.seller_id == seller_id:
        return user.get_username()
    return str(_("Marketplace"))


@dataclass
class PackagePage:
    package: Package
    items: list[PackageItem]
    live: list[PackageItem]
    history: list[tuple[PackageEvent, str]]  # each move and who made it, as the seller sees it
    allowed: list[str]


def seller_package(*, seller, number: str) -> PackagePage | None:
    """One of the seller's packages with its items, history and what may be done with it."""
    package = (
        fulfilment_selectors.with_history_and_items(
            fulfilment_selectors.seller_packages(seller=seller).select_related("split_from")
        )
        .filter(number=number)
        .first()
    )
    if package is None:
        return None
    items = list(package.items.all())
    live = [item for item in items if item.order_item.status != OrderItemStatus.CANCELLED]
    allowed = transitions.allowed_actions(
        package.status,
        invoiced=bool(package.invoice_number),
        live_units=sum(item.order_item.quantity for item in live),
    )
    return PackagePage(
        package=package,
        items=items,
        live=live,
        history=[(event, _who(event, seller.pk)) for event in package.history.all()],
        allowed=allowed,
    )


# --- an order, for operators ----------------------------------------------------------------


@dataclass
class OrderLine:
    item: OrderItem
    package: Package | None
    package_item: str  # `<package number>-<n>`, or "" for the operator's own products


@dataclass
class OrderOverview:
    order: Order
    lines: list[OrderLine]
    packages: list[Package]
    claims: list[Claim]
    refund_total: object  # Decimal: what the approved and completed returns refund


def order_overview(order: Order) -> OrderOverview:
    """An order whole: its items (with their package), its packages with their history and
    items, its claims with their history; a handful of queries whatever its size."""
    items = list(
        OrderItem.objects.filter(order=order)
        .select_related("product", "product__seller", "shipping_company")
        .order_by("pk")
    )
    packages = list(
        Package.objects.filter(order=order)
        .select_related("seller", "shipping_company", "split_from")
        .prefetch_related(
            Prefetch(
                "history", queryset=PackageEvent.objects.select_related("user").order_by("pk")
            ),
            Prefetch("items", queryset=PackageItem.objects.order_by("pk")),
        )
        .order_by("pk")
    )
    by_item: dict[int, tuple[Package, str]] = {}
    for package in packages:
        for package_item in package.items.all():
            by_item[package_item.order_item_id] = (package, package_item.number)
    lines = [
        OrderLine(item, *by_item.get(item.pk, (None, ""))) for item in items
    ]  # fmt: skip
    claims = list(
        Claim.objects.filter(order=order)
        .select_related("reason", "order_item__product", "seller")
        .prefetch_related(
            Prefetch("history", queryset=ClaimEvent.objects.select_related("user").order_by("pk"))
        )
        .order_by("pk")
    )
    refund_total = sum(
        (
            claim.forced_refund_amount if claim.forced_refund_amount is not None
            else claim.refund_amount
            for claim in claims
            if claim.status in (ClaimStatus.APPROVED, ClaimStatus.COMPLETED)
        ),
        start=0,
    )  # fmt: skip
    return OrderOverview(order, lines, packages, claims, refund_total)
