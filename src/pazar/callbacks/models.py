"""Events sent to a seller's callback URL, and the log of their delivery.

Each event is stored once, with the exact body that is signed and sent: a retry or a replay
sends the same bytes with the same `event_id`, so the seller can drop a repeat. The `id`
orders a seller's events; the delivery log is read, and replayed, from it (`cursor`).
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class CallbackStatus(models.TextChoices):
    PENDING = "pending", _("Pending")  # not sent yet, or a retry is due
    DELIVERED = "delivered", _("Delivered")  # the seller's endpoint answered 2xx
    FAILED = "failed", _("Failed")  # every attempt failed; a replay sends it again
    # no callback URL, or one Pazar may not call (a private address)
    REFUSED = "refused", _("Refused")


class Callback(models.Model):
    event_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, verbose_name=_("event id")
    )
    seller = models.ForeignKey(
        "accounts.Seller", on_delete=models.CASCADE, related_name="+", verbose_name=_("seller")
    )
    event = models.CharField(max_length=64, verbose_name=_("event"))
    body = models.TextField(
        help_text=_("The JSON body sent, exactly as signed."), verbose_name=_("body")
    )
    status = models.CharField(
        max_length=16,
        choices=CallbackStatus.choices,
        default=CallbackStatus.PENDING,
        verbose_name=_("status"),
    )
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    last_response_status = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("last response status")
    )
    last_error = models.CharField(
        max_length=255, blank=True, default="", verbose_name=_("last error")
    )
    next_attempt_at = models.DateTimeField(null=True, blank=True, verbose_name=_("next attempt at"))
    delivered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("delivered at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["seller", "id"], name="callback_seller_log")]
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")

    def __str__(self) -> str:
        return str(self.event_id)  # the event's name is a code, shown apart
