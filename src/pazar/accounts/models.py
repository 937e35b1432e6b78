"""Sellers, their users, and the tokens that authenticate API callers.

Operators (Omnitron and Whippy Ware users) are Django staff users with a DRF token each.
Seller users belong to exactly one seller; they call the Seller Center with seller access
tokens, which are stored only as a SHA-256 digest and shown in full once, at creation.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Seller(models.Model):
    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("ID")
    )
    name = models.CharField(max_length=200, unique=True, verbose_name=_("name"))
    is_active = models.BooleanField(default=True, verbose_name=_("is active"))
    callback_url = models.URLField(
        blank=True,
        help_text=_(
            "Receives a signed POST for each event: a batch request ended, a package changed."
        ),
        verbose_name=_("callback URL"),
    )
    callback_secret = models.CharField(
        max_length=64,
        blank=True,
        help_text=_("Key of the callbacks' HMAC signature."),
        verbose_name=_("callback secret"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("seller")
        verbose_name_plural = _("sellers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SellerMembership(models.Model):
    """Makes a user a seller user: one seller per user; admins manage the seller's tokens."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="seller_membership",
        verbose_name=_("user"),
    )
    seller = models.ForeignKey(
        Seller, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("seller")
    )
    is_admin = models.BooleanField(default=False, verbose_name=_("is admin"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("seller membership")
        verbose_name_plural = _("seller memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.seller}"


class SellerAccessTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, valid_until__gt=timezone.now())

    def expired(self):
        return self.exclude(pk__in=self.active().values("pk"))


class SellerAccessToken(models.Model):
    class Kind(models.TextChoices):
        ACCESS = "access", _("Access token")
        SESSION = "session", _("Login session")

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("ID")
    )
    seller = models.ForeignKey(
        Seller, on_delete=models.CASCADE, related_name="access_tokens", verbose_name=_("seller")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="seller_access_tokens",
        verbose_name=_("user"),
    )
    kind = models.CharField(
        max_length=10, choices=Kind.choices, default=Kind.ACCESS, verbose_name=_("kind")
    )
    note = models.CharField(max_length=255, blank=True, verbose_name=_("note"))
    key_prefix = models.CharField(max_length=8, verbose_name=_("key prefix"))
    key_digest = models.CharField(max_length=64, unique=True, verbose_name=_("key digest"))
    valid_until = models.DateTimeField(verbose_name=_("valid until"))
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("revoked at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    objects = SellerAccessTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("seller access token")
        verbose_name_plural = _("seller access tokens")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["seller", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.key_prefix}… ({self.seller})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.valid_until > timezone.now()

    @property
    def status(self) -> str:
        return "Active" if self.is_active else "Expired"
