"""Cancellations and returns (orders.md §3, §6; seller-center.md §7).

A cancellation reason is the operator's list of why an item is cancelled or returned. A claim
is one order item's units cancelled (`cancel`, before shipment) or returned (`refund`, after
delivery), with its status, the refund amount and its history (`ClaimEvent`).
"""

import uuid

from django.conf import settings
from django.db import models


class CancellationType(models.TextChoices):
    CANCEL = "cancel"
    REFUND = "refund"


class CancellationReason(models.Model):
    """Why an item is cancelled or returned; `translations` is `{"tr-tr": {"subject": "…"}}`."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cancellation_type = models.CharField(max_length=8, choices=CancellationType.choices)
    subject = models.CharField(max_length=100)
    order = models.IntegerField(default=0, help_text="Where the reason is listed (ascending).")
    is_active = models.BooleanField(default=True)
    extra_information_needed = models.BooleanField(default=False)
    send_to_remote = models.BooleanField(default=False)
    send_to_oms = models.BooleanField(default=False)
    translations = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.subject


class ClaimStatus(models.TextChoices):
    OPEN = "open"
    WAITING = "waiting"
    APPROVED = "approved"
    REJECTED = "rejected"
    COMPLETED = "completed"


class CancelledBy(models.IntegerChoices):
    CUSTOMER = 1, "customer"
    SELLER = 2, "seller"
    OPERATOR = 3, "operator"  # [inferred]: the marketplace's operator, for anyone


class Claim(models.Model):
    """`quantity` units of one order item cancelled or returned. A cancellation splits the
    cancelled units off their line first, so `order_item` is the item that holds exactly them;
    `source_item` is the line they were claimed from."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="+")
    order_item = models.ForeignKey("orders.OrderItem", on_delete=models.CASCADE, related_name="+")
    source_item = models.ForeignKey("orders.OrderItem", on_delete=models.CASCADE, related_name="+")
    seller = models.ForeignKey(
        "accounts.Seller", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    type = models.CharField(max_length=8, choices=CancellationType.choices)
    status = models.CharField(max_length=16, choices=ClaimStatus.choices)
    cancelled_by = models.PositiveSmallIntegerField(choices=CancelledBy.choices)
    reason = models.ForeignKey(
        CancellationReason, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        help_text="None only for a seller's rejected items, whose reason is the description.",
    )  # fmt: skip
    description = models.TextField(blank=True, default="")
    remote_id = models.CharField(
        max_length=255, blank=True, default="", help_text="The sales channel's id of the request."
    )
    quantity = models.PositiveIntegerField()
    refund_amount = models.DecimalField(max_digits=20, decimal_places=2)
    is_cargo_refund = models.BooleanField(default=False)
    forced_refund_amount = models.DecimalField(
        max_digits=20, decimal_places=2, null=True, blank=True
    )
    refund_invoice_number = models.CharField(max_length=64, blank=True, default="")
    iban = models.CharField(max_length=34, blank=True, default="")
    holder_name = models.CharField(max_length=255, blank=True, default="")
    return_code = models.CharField(max_length=32, blank=True, default="")
    return_tracking_number = models.CharField(max_length=256, blank=True, default="")
    return_tracking_url = models.URLField(max_length=512, blank=True, default="")
    escalated = models.BooleanField(
        default=False, help_text="Rejected by the seller: the operator decides."
    )
    item_status_before = models.CharField(
        max_length=8, blank=True, default="",
        help_text="The line's status before a cancellation request made it 50 (restored on reject).",
    )  # fmt: skip
    received_at = models.DateTimeField(
        null=True, blank=True, help_text="When the returned units arrived back."
    )
    restocked = models.BooleanField(
        default=False, help_text="The returned units are back in stock (once)."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="claim_quantity_1")
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.uuid}"


class ClaimEvent(models.Model):
    """One status move of a claim: from, to, who, when and why."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=16, blank=True, default="")
    to_status = models.CharField(max_length=16)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by = models.PositiveSmallIntegerField(choices=CancelledBy.choices)
    reason = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]


class CancellationRequest(Claim):
    """A claim as Omnitron's API calls it (`cancellation_requests/`, orders.md §3): the same
    row, under the content type `cancellationrequest` that channel apps name in their batch
    requests and integration actions."""

    class Meta:
        proxy = True


class ClaimChangeKind(models.TextChoices):
    CREATED = "created"
    STATUS_CHANGED = "status_changed"
    UPDATED = "updated"  # received, restocked or re-decided without a status move


class ClaimChange(models.Model):
    """The change log behind the Seller Center's claims cursor feed; ids in commit order per
    seller (the writer holds the seller's change lock, as for packages)."""

    id = models.BigAutoField(primary_key=True)
    seller = models.ForeignKey("accounts.Seller", on_delete=models.CASCADE, related_name="+")
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=16, choices=ClaimChangeKind.choices)
    status = models.CharField(max_length=16, choices=ClaimStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["seller", "id"], name="claim_change_feed")]
