from django.db import models
from django.utils.translation import gettext_lazy as _


class MarketplaceSettings(models.Model):
    """The operator's marketplace-wide choices (one row)."""

    auto_approve_products = models.BooleanField(
        default=False,
        help_text=_("Approve sellers' new products and catalog changes without an operator."),
        verbose_name=_("auto approve products"),
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = verbose_name_plural = _("marketplace settings")

    def __str__(self) -> str:
        return str(_("Marketplace settings"))

    @classmethod
    def load(cls) -> "MarketplaceSettings":
        """The settings row (`marketplace_settings_get`, which creates it on first use)."""
        from pazar.marketplace.services.settings import marketplace_settings_get

        return marketplace_settings_get()


class SellerCatalogVersion(models.Model):
    """A token that changes whenever any of a seller's products changes (set by triggers, see
    `pazar.marketplace.dbobjects`); cached product counts are keyed by it."""

    # Not a foreign key: written only by the triggers, and a deleted seller's row is harmless.
    seller_id = models.UUIDField(primary_key=True, verbose_name=_("seller ID"))
    token = models.CharField(max_length=32, verbose_name=_("token"))

    class Meta:
        verbose_name = _("seller catalog version")
        verbose_name_plural = _("seller catalog versions")


class SellerProductCount(models.Model):
    """How many of a seller's products have this approval state and category (`attribute` and
    `value` empty) and, in the rows with an `attribute`, that attribute's value as text. Kept by
    triggers (`pazar.marketplace.dbobjects`); PRD102 adds these up instead of counting products."""

    # Not foreign keys: written only by the triggers, like SellerCatalogVersion.
    seller_id = models.UUIDField(verbose_name=_("seller ID"))
    approved = models.BooleanField(verbose_name=_("approved"))
    category_id = models.BigIntegerField(
        help_text=_("0: no category."), verbose_name=_("category ID")
    )
    attribute = models.TextField(blank=True, verbose_name=_("attribute"))
    value = models.TextField(blank=True, verbose_name=_("value"))
    count = models.BigIntegerField(verbose_name=_("count"))

    class Meta:
        verbose_name = _("seller product count")
        verbose_name_plural = _("seller product counts")
        constraints = [
            models.UniqueConstraint(
                fields=["seller_id", "approved", "category_id", "attribute", "value"],
                name="seller_product_count_key",
            )
        ]


class IdempotentResponse(models.Model):
    """The answer to a Seller Center action sent with an `Idempotency-Key` header: a retry with
    the same key (for the same seller and path) gets it again, and the action runs once."""

    seller = models.ForeignKey("accounts.Seller", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    path = models.CharField(max_length=512)
    request_hash = models.CharField(max_length=64, help_text="SHA-256 of the request body.")
    status_code = models.PositiveSmallIntegerField()
    body = models.TextField(help_text="The JSON answer, as first sent.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["seller", "key", "path"], name="unique_idempotency_key")
        ]
        indexes = [models.Index(fields=["created_at"], name="idempotency_created")]
        verbose_name = _("idempotent answer")
        verbose_name_plural = _("idempotent answers")
