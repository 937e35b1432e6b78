"""Sellers, their users, and the tokens that authenticate API callers.

Operators (Omnitron and Whippy Ware users) are Django staff users with a DRF token each.
Seller users belong to exactly one seller; they call the Seller Center with seller access
tokens, which are stored only as a SHA-256 digest and shown in full once, at creation.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Seller(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, unique=True)
    is_active = models.BooleanField(default=True)
    callback_url = models.URLField(
        blank=True,
        help_text="Receives a signed POST for each event: a batch request ended, a package changed.",
    )
    callback_secret = models.CharField(
        max_length=64, blank=True, help_text="Key of the callbacks' HMAC signature."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SellerMembership(models.Model):
    """Makes a user a seller user: one seller per user; admins manage the seller's tokens."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seller_membership"
    )
    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="memberships")
    is_admin = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user} @ {self.seller}"


class SellerAccessTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, valid_until__gt=timezone.now())

    def expired(self):
        return self.exclude(pk__in=self.active().values("pk"))


class SellerAccessToken(models.Model):
    class Kind(models.TextChoices):
        ACCESS = "access", "Access token"
        SESSION = "session", "Login session"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="access_tokens")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seller_access_tokens"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ACCESS)
    note = models.CharField(max_length=255, blank=True)
    key_prefix = models.CharField(max_length=8)
    key_digest = models.CharField(max_length=64, unique=True)
    valid_until = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SellerAccessTokenQuerySet.as_manager()

    class Meta:
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
