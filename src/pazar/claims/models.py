"""Cancellations and returns (orders.md §3, §6; seller-center.md §7).

A cancellation reason is the operator's list of why an item is cancelled or returned. A claim
is one order item's units cancelled (`cancel`, before shipment) or returned (`refund`, after
delivery), with its status, the refund amount and its history (`ClaimEvent`).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CancellationType(models.TextChoices):
    CANCEL = "cancel", _("Cancel")
    REFUND = "refund", _("Refund")


class CancellationReason(models.Model):
    """Why an item is cancelled or returned; `translations` is `{"tr-tr": {"subject": "…"}}`."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("uuid"))
    cancellation_type = models.CharField(
        max_length=8, choices=CancellationType.choices, verbose_name=_("cancellation type")
    )
    subject = models.CharField(max_length=100, verbose_name=_("subject"))
    order = models.IntegerField(
        default=0, help_text=_("Where the reason is listed (ascending)."), verbose_name=_("order")
    )
    is_active = models.BooleanField(default=True, verbose_name=_("is active"))
    extra_information_needed = models.BooleanField(
        default=False, verbose_name=_("extra information needed")
    )
    send_to_remote = models.BooleanField(default=False, verbose_name=_("send to remote"))
    send_to_oms = models.BooleanField(default=False, verbose_name=_("send to oms"))
    translations = models.JSONField(default=dict, blank=True, verbose_name=_("translations"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("cancellation reason")
        verbose_name_plural = _("cancellation reasons")

    def __str__(self) -> str:
        return self.subject


class ClaimStatus(models.TextChoices):
    OPEN = "open", _("Open")
    WAITING = "waiting", _("Waiting")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    COMPLETED = "completed", _("Completed")


class CancelledBy(models.IntegerChoices):
    CUSTOMER = 1, _("customer")
    SELLER = 2, _("seller")
    OPERATOR = 3, _("operator")  # [inferred]: the marketplace's operator, for anyone


class Claim(models.Model):
    """`quantity` units of one order item cancelled or returned. A cancellation splits the
    cancelled units off their line first, so `order_item` is the item that holds exactly them;
    `source_item` is the line they were claimed from."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("uuid"))
    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, related_name="+", verbose_name=_("order")
    )
    order_item = models.ForeignKey(
        "orders.OrderItem", on_delete=models.CASCADE, related_name="+", verbose_name=_("order item")
    )
    source_item = models.ForeignKey(
        "orders.OrderItem",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("source item"),
    )
    seller = models.ForeignKey(
        "accounts.Seller",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("seller"),
    )
    type = models.CharField(max_length=8, choices=CancellationType.choices, verbose_name=_("type"))
    status = models.CharField(max_length=16, choices=ClaimStatus.choices, verbose_name=_("status"))
    cancelled_by = models.PositiveSmallIntegerField(
        choices=CancelledBy.choices, verbose_name=_("cancelled by")
    )
    reason = models.ForeignKey(
        CancellationReason, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        help_text=_("None only for a seller's rejected items, whose reason is the description."),
        verbose_name=_("reason"),
    )  # fmt: skip
    description = models.TextField(blank=True, default="", verbose_name=_("description"))
    remote_id = models.CharField(
        max_length=255, blank=True, default="",
        help_text=_("The sales channel's id of the request."), verbose_name=_("remote id"),
    )  # fmt: skip
    quantity = models.PositiveIntegerField(verbose_name=_("quantity"))
    refund_amount = models.DecimalField(
        max_digits=20, decimal_places=2, verbose_name=_("refund amount")
    )
    is_cargo_refund = models.BooleanField(default=False, verbose_name=_("is cargo refund"))
    forced_refund_amount = models.DecimalField(
        max_digits=20,
        decimal_places=2,
        null=True,
        blank=True,
        verbose_name=_("forced refund amount"),
    )
    refund_invoice_number = models.CharField(
        max_length=64, blank=True, default="", verbose_name=_("refund invoice number")
    )
    iban = models.CharField(max_length=34, blank=True, default="", verbose_name=_("iban"))
    holder_name = models.CharField(
        max_length=255, blank=True, default="", verbose_name=_("holder name")
    )
    return_code = models.CharField(
        max_length=32, blank=True, default="", verbose_name=_("return code")
    )
    return_tracking_number = models.CharField(
        max_length=256, blank=True, default="", verbose_name=_("return tracking number")
    )
    return_tracking_url = models.URLField(
        max_length=512, blank=True, default="", verbose_name=_("return tracking url")
    )
    escalated = models.BooleanField(
        default=False,
        help_text=_("Rejected by the seller: the operator decides."),
        verbose_name=_("escalated"),
    )
    item_status_before = models.CharField(
        max_length=8, blank=True, default="",
        help_text=_(
            "The line's status before a cancellation request made it 50 (restored on reject)."
        ),
        verbose_name=_("item status before"),
    )  # fmt: skip
    received_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the returned units arrived back."),
        verbose_name=_("received at"),
    )  # fmt: skip
    restocked = models.BooleanField(
        default=False, help_text=_("The returned units are back in stock (once)."),
        verbose_name=_("restocked"),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["seller", "-created_at"], name="claim_seller_list"),
            models.Index(fields=["escalated", "status", "created_at"], name="claim_queue"),
            models.Index(fields=["seller", "status", "-created_at"], name="claim_seller_status"),
            # CLM001 under its type and cancelled_by filters: the page in order, the count from the
            # index alone
            models.Index(fields=["seller", "type", "-created_at"], name="claim_seller_type"),
            models.Index(fields=["seller", "cancelled_by", "-created_at"], name="claim_seller_by"),
            # CLM001's `updated_at` filters: the claims of the ends of the range a date count
            # does not hold, and a page of recently updated claims
            models.Index(fields=["seller", "-updated_at"], name="claim_seller_updated"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="claim_quantity_1")
        ]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.uuid}"


class ClaimCount(models.Model):
    """How many of a seller's claims have one type, `cancelled_by` and status, kept by the claims
    services in the transaction of each claim they create, move or delete, under the seller's
    change lock (`claims.services._counted`): CLM001 answers its `count` for a filter on those
    (or none) by summing these rows instead of counting a big seller's claims."""

    seller = models.ForeignKey(
        "accounts.Seller", on_delete=models.CASCADE, related_name="+", verbose_name=_("seller")
    )
    type = models.CharField(max_length=8, choices=CancellationType.choices, verbose_name=_("type"))
    cancelled_by = models.PositiveSmallIntegerField(
        choices=CancelledBy.choices, verbose_name=_("cancelled by")
    )
    status = models.CharField(max_length=16, choices=ClaimStatus.choices, verbose_name=_("status"))
    count = models.BigIntegerField(default=0, verbose_name=_("count"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "type", "cancelled_by", "status"], name="one_claim_count_per_key"
            )
        ]
        verbose_name = _("claim count")
        verbose_name_plural = _("claim counts")


class ClaimDateCount(models.Model):
    """How many of a seller's claims of one type, `cancelled_by` and status were created (or
    last updated) in one UTC month, day or hour (`span` starting at `start`), kept by the claims
    services with `ClaimCount` in the same statement's transaction, under the seller's change
    lock. A claim counts once per span size for each of `created_at` and `updated_at`; an update
    moves its `updated_at` counts from the spans of the time before to those of the time after.
    CLM001 counts a date range as the whole spans inside it and the claims of the less than an
    hour left at each end (`claims.spans`, `claims.selectors.claim_count`)."""

    class Field(models.TextChoices):
        CREATED_AT = "created_at"
        UPDATED_AT = "updated_at"

    class Span(models.TextChoices):
        MONTH = "month"
        DAY = "day"
        HOUR = "hour"

    seller = models.ForeignKey(
        "accounts.Seller", on_delete=models.CASCADE, related_name="+", verbose_name=_("seller")
    )
    field = models.CharField(max_length=10, choices=Field.choices, verbose_name=_("field"))
    span = models.CharField(max_length=5, choices=Span.choices, verbose_name=_("span"))
    start = models.DateTimeField(verbose_name=_("start"))
    type = models.CharField(max_length=8, choices=CancellationType.choices, verbose_name=_("type"))
    cancelled_by = models.PositiveSmallIntegerField(
        choices=CancelledBy.choices, verbose_name=_("cancelled by")
    )
    status = models.CharField(max_length=16, choices=ClaimStatus.choices, verbose_name=_("status"))
    count = models.BigIntegerField(default=0, verbose_name=_("count"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "field", "span", "start", "type", "cancelled_by", "status"],
                name="one_claim_date_count_per_key",
            )
        ]
        verbose_name = _("claim date count")
        verbose_name_plural = _("claim date counts")


class ClaimEvent(models.Model):
    """One status move of a claim: from, to, who, when and why."""

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="history", verbose_name=_("claim")
    )
    from_status = models.CharField(
        max_length=16, blank=True, default="", verbose_name=_("from status")
    )
    to_status = models.CharField(max_length=16, verbose_name=_("to status"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    by = models.PositiveSmallIntegerField(choices=CancelledBy.choices, verbose_name=_("by"))
    reason = models.CharField(max_length=255, blank=True, default="", verbose_name=_("reason"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("claim event")
        verbose_name_plural = _("claim events")


class CancellationRequest(Claim):
    """A claim as Omnitron's API calls it (`cancellation_requests/`, orders.md §3): the same
    row, under the content type `cancellationrequest` that channel apps name in their batch
    requests and integration actions."""

    class Meta:
        proxy = True
        verbose_name = _("cancellation request")
        verbose_name_plural = _("cancellation requests")


class ClaimChangeKind(models.TextChoices):
    CREATED = "created"
    STATUS_CHANGED = "status_changed"
    UPDATED = "updated"  # received, restocked or re-decided without a status move


class ClaimChange(models.Model):
    """The change log behind the Seller Center's claims cursor feed; ids in commit order per
    seller (the writer holds the seller's change lock, as for packages)."""

    id = models.BigAutoField(primary_key=True)
    seller = models.ForeignKey(
        "accounts.Seller", on_delete=models.CASCADE, related_name="+", verbose_name=_("seller")
    )
    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="changes", verbose_name=_("claim")
    )
    kind = models.CharField(max_length=16, choices=ClaimChangeKind.choices, verbose_name=_("kind"))
    status = models.CharField(max_length=16, choices=ClaimStatus.choices, verbose_name=_("status"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("claim change")
        verbose_name_plural = _("claim changes")
        indexes = [models.Index(fields=["seller", "id"], name="claim_change_feed")]
