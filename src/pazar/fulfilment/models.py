"""Sellers' packages: the order items one seller ships together (seller-center.md §6).

Intake puts the items of a seller's offers into that seller's package, one per seller per
order; a split later makes more (`split_from`). A package `number` is a unique 16-digit
string; its items are `<package number>-<n>`.
"""

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
    URL = "URL"
    HTML = "HTML"
    BASE64 = "Base64"
    TEXT = "Text"


class Package(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(max_length=16, unique=True)
    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="+")
    seller = models.ForeignKey("accounts.Seller", on_delete=models.PROTECT, related_name="+")
    split_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="splits"
    )
    status = models.PositiveSmallIntegerField(
        choices=PackageStatus.choices, default=PackageStatus.PREPARING
    )
    shipping_company = models.ForeignKey(
        "orders.CargoCompany", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    waybill_number = models.CharField(max_length=128, blank=True, default="")
    tracking_number = models.CharField(max_length=256, blank=True, default="")
    tracking_url = models.URLField(max_length=512, blank=True, default="")
    shipment_date = models.DateTimeField(null=True, blank=True)
    delivery_date = models.DateTimeField(null=True, blank=True)
    invoice_number = models.CharField(max_length=64, blank=True, default="")
    invoice_date = models.DateTimeField(null=True, blank=True)
    invoice_data = models.TextField(null=True, blank=True)
    invoice_data_type = models.CharField(
        max_length=8, choices=InvoiceDataType.choices, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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

    def __str__(self) -> str:
        return self.number


class PackageItem(models.Model):
    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="items")
    order_item = models.OneToOneField(
        "orders.OrderItem", on_delete=models.CASCADE, related_name="+"
    )
    number = models.CharField(max_length=32, unique=True, help_text="`<package number>-<n>`")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.number


class PackageEvent(models.Model):
    """One status move of a package: from, to, who, when and why."""

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="history")
    from_status = models.PositiveSmallIntegerField(null=True, blank=True)
    to_status = models.PositiveSmallIntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]


class PackageChangeKind(models.TextChoices):
    CREATED = "created"
    STATUS_CHANGED = "status_changed"
    ITEMS_CHANGED = "items_changed"
    UPDATED = "updated"  # shipping or invoice details, without a status move


class PackageChange(models.Model):
    """The change log behind the packages' cursor feed: one row per change of a package.

    A seller's changes get their ids in the order their transactions commit: the writer holds
    the seller's change lock from before it takes an id until it commits
    (pazar.fulfilment.services.changes), so a client that read up to an id never sees a change
    with a smaller id appear later.
    """

    id = models.BigAutoField(primary_key=True)
    seller = models.ForeignKey("accounts.Seller", on_delete=models.CASCADE, related_name="+")
    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=16, choices=PackageChangeKind.choices)
    status = models.PositiveSmallIntegerField(choices=PackageStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["seller", "id"], name="package_change_feed")]
        verbose_name = _("package change")
        verbose_name_plural = _("package changes")
