"""Sellers' packages: the order items one seller ships together (seller-center.md §6).

Intake puts the items of a seller's offers into that seller's package, one per seller per
order; a split later makes more (`split_from`). A package `number` is a unique 16-digit
string; its items are `<package number>-<n>`.
"""

import re
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PackageStatus(models.IntegerChoices):
    CANCELLED = 1, _("Cancelled")
    PREPARING = 2, _("Preparing")
    READY_TO_SHIP = 3, _("Ready to ship")
    SHIPPED = 4, _("Shipped")
    DELIVERED = 5, _("Delivered")
    DELIVERY_FAILED = 6, _("Delivery failed")


class InvoiceDataType(models.TextChoices):
    URL = "URL", _("Url")
    HTML = "HTML", _("Html")
    BASE64 = "Base64", _("Base64")
    TEXT = "Text", _("Text")


class Package(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("uuid"))
    number = models.CharField(max_length=16, unique=True, verbose_name=_("number"))
    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, related_name="+", verbose_name=_("order")
    )
    seller = models.ForeignKey(
        "accounts.Seller", on_delete=models.PROTECT, related_name="+", verbose_name=_("seller")
    )
    split_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="splits",
        verbose_name=_("split from"),
    )
    status = models.PositiveSmallIntegerField(
        choices=PackageStatus.choices, default=PackageStatus.PREPARING, verbose_name=_("status")
    )
    shipping_company = models.ForeignKey(
        "orders.CargoCompany",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shipping company"),
    )
    waybill_number = models.CharField(
        max_length=128, blank=True, default="", verbose_name=_("waybill number")
    )
    tracking_number = models.CharField(
        max_length=256, blank=True, default="", verbose_name=_("tracking number")
    )
    tracking_url = models.URLField(
        max_length=512, blank=True, default="", verbose_name=_("tracking url")
    )
    shipment_date = models.DateTimeField(null=True, blank=True, verbose_name=_("shipment date"))
    delivery_date = models.DateTimeField(null=True, blank=True, verbose_name=_("delivery date"))
    invoice_number = models.CharField(
        max_length=64, blank=True, default="", verbose_name=_("invoice number")
    )
    invoice_date = models.DateTimeField(null=True, blank=True, verbose_name=_("invoice date"))
    invoice_data = models.TextField(null=True, blank=True, verbose_name=_("invoice data"))
    invoice_data_type = models.CharField(
        max_length=8,
        choices=InvoiceDataType.choices,
        null=True,
        blank=True,
        verbose_name=_("invoice data type"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "seller"],
                condition=models.Q(split_from__isnull=True),
                name="one_package_per_seller_per_order",
            )
        ]
        indexes = [
            # PKG101: a seller's packages, newest first, optionally by status.
            models.Index(fields=["seller", "-created_at", "-id"], name="package_seller_list"),
            models.Index(fields=["seller", "status", "-created_at"], name="package_seller_status"),
            models.Index(fields=["seller", "updated_at"], name="package_seller_updated"),
        ]
        verbose_name = _("package")
        verbose_name_plural = _("packages")

    def __str__(self) -> str:
        return self.number


class PackageItem(models.Model):
    package = models.ForeignKey(
        Package, on_delete=models.CASCADE, related_name="items", verbose_name=_("package")
    )
    order_item = models.OneToOneField(
        "orders.OrderItem", on_delete=models.CASCADE, related_name="+", verbose_name=_("order item")
    )
    number = models.CharField(
        max_length=32, unique=True, help_text=_("`<package number>-<n>`"), verbose_name=_("number")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("package item")
        verbose_name_plural = _("package items")

    def __str__(self) -> str:
        return self.number


class PackageEvent(models.Model):
    """One status move of a package: from, to, who, when and why."""

    package = models.ForeignKey(
        Package, on_delete=models.CASCADE, related_name="history", verbose_name=_("package")
    )
    from_status = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("from status")
    )
    to_status = models.PositiveSmallIntegerField(verbose_name=_("to status"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    reason = models.CharField(max_length=255, blank=True, default="", verbose_name=_("reason"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("package event")
        verbose_name_plural = _("package events")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"

    @property
    def reason_text(self) -> str:
        """The reason in the reader's language: the services write it in English words (as
        the API gives it), with the seller's own reason or a number in it at times."""
        return event_reason_text(self.reason)


class PackageChangeKind(models.TextChoices):
    CREATED = "created", _("Created")
    STATUS_CHANGED = "status_changed", _("Status Changed")
    ITEMS_CHANGED = "items_changed", _("Items Changed")
    UPDATED = "updated", _("Updated")  # shipping or invoice details, without a status move


class PackageChange(models.Model):
    """The change log behind the packages' cursor feed: one row per change of a package.

    A seller's changes get their ids in the order their transactions commit: the writer holds
    the seller's change lock from before it takes an id until it commits
    (pazar.fulfilment.services.changes), so a client that read up to an id never sees a change
    with a smaller id appear later.
    """

    id = models.BigAutoField(primary_key=True, verbose_name=_("id"))
    seller = models.ForeignKey(
        "accounts.Seller", on_delete=models.CASCADE, related_name="+", verbose_name=_("seller")
    )
    package = models.ForeignKey(
        Package, on_delete=models.CASCADE, related_name="changes", verbose_name=_("package")
    )
    kind = models.CharField(
        max_length=16, choices=PackageChangeKind.choices, verbose_name=_("kind")
    )
    status = models.PositiveSmallIntegerField(
        choices=PackageStatus.choices, verbose_name=_("status")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["seller", "id"], name="package_change_feed")]
        verbose_name = _("package change")
        verbose_name_plural = _("package changes")


class PackageStatusCount(models.Model):
    """How many packages a seller has in each status, kept by the change log's writer
    (`pazar.fulfilment.services.changes.package_changed`) in the transaction of each new package
    and status move, under the seller's change lock: PKG101 answers its `count` for a status
    filter (or none) from these rows instead of counting a big seller's packages."""

    seller = models.ForeignKey(
        "accounts.Seller", on_delete=models.CASCADE, related_name="+", verbose_name=_("seller")
    )
    status = models.PositiveSmallIntegerField(
        choices=PackageStatus.choices, verbose_name=_("status")
    )
    count = models.BigIntegerField(default=0, verbose_name=_("count"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["seller", "status"], name="one_count_per_seller_status")
        ]
        verbose_name = _("package status count")
        verbose_name_plural = _("package status counts")


# The reasons the services write on a package's moves (services/intake.py, services/packages.py).
EVENT_REASONS = {
    "order placed": _("order placed"),
    "ready to ship": _("ready to ship"),
    "shipped": _("shipped"),
    "delivered": _("delivered"),
    "delivery failed": _("delivery failed"),
}
EVENT_REASON_PATTERNS = [
    (re.compile(r"^invoice (?P<number>.+)$"), _("invoice %(number)s")),
    (re.compile(r"^split from package (?P<number>\d+)$"), _("split from package %(number)s")),
    (
        re.compile(r"^items split into package (?P<number>\d+)$"),
        _("items split into package %(number)s"),
    ),
    (
        re.compile(r"^items (?P<items>.+?) rejected: (?P<reason>.*)$", re.DOTALL),
        _("items %(items)s rejected: %(reason)s"),
    ),
]


def event_reason_text(reason: str) -> str:
    """A package event's stored reason in the active language (anything else as written)."""
    if reason in EVENT_REASONS:
        return str(EVENT_REASONS[reason])
    for pattern, text in EVENT_REASON_PATTERNS:
        if found := pattern.match(reason):
            return str(text) % found.groupdict()
    return reason
