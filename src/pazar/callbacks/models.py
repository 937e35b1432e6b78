"""Events sent to a seller's callback URL, and the log of their delivery.

Each event is stored once, with the exact body that is signed and sent: a retry or a replay
sends the same bytes with the same `event_id`, so the seller can drop a repeat. The `id`
orders a seller's events; the delivery log is read, and replayed, from it (`cursor`).
"""

import uuid

from django.db import models


class CallbackStatus(models.TextChoices):
    PENDING = "pending"  # not sent yet, or a retry is due
    DELIVERED = "delivered"  # the seller's endpoint answered 2xx
    FAILED = "failed"  # every attempt failed; a replay sends it again
    REFUSED = "refused"  # no callback URL, or one Pazar may not call (a private address)


class Callback(models.Model):
    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    seller = models.ForeignKey("accounts.Seller", on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=64)
    body = models.TextField(help_text="The JSON body sent, exactly as signed.")
    status = models.CharField(
        max_length=16, choices=CallbackStatus.choices, default=CallbackStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=255, blank=True, default="")
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["seller", "id"], name="callback_seller_log")]

    def __str__(self) -> str:
        return f"{self.event} {self.event_id}"
