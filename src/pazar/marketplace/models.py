from django.db import models


class MarketplaceSettings(models.Model):
    """The operator's marketplace-wide choices (one row)."""

    auto_approve_products = models.BooleanField(
        default=False,
        help_text="Approve sellers' new products and catalog changes without an operator.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "marketplace settings"

    def __str__(self) -> str:
        return "Marketplace settings"

    @classmethod
    def load(cls) -> "MarketplaceSettings":
        return cls.objects.get_or_create(pk=1)[0]
