import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

# Stored as upper-case ISO 4217 codes; Omnitron reads them lower-case (pazar.pricing.currencies).
CURRENCIES = [
    "TRY", "USD", "EUR", "EGP", "GBP", "MAD", "PLN", "SAR", "RON", "UAH", "CZK",
    "HUF", "RUB", "BGN", "IQD", "KWD", "BHD", "OMR", "QAR", "AED", "NGN", "INR",
    "KZT", "JOD", "RSD",
]  # fmt: skip


class PriceType(models.TextChoices):
    DEFAULT = "default"
    RANGE = "range_"


class PriceList(models.Model):
    """A list of prices in one currency (stored as the upper-case ISO code).

    `code` is the ERP's id of the list: unique when set, optional (omnitron.md §7).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("UUID"))
    name = models.CharField(max_length=255, verbose_name=_("name"))
    code = models.CharField(
        max_length=100, unique=True, null=True, blank=True, verbose_name=_("code")
    )
    currency = models.CharField(
        max_length=3, choices=[(c, c) for c in CURRENCIES], verbose_name=_("currency")
    )
    is_auto_sync = models.BooleanField(default=False, verbose_name=_("is auto sync"))
    sellers = models.ManyToManyField(
        "accounts.Seller", blank=True, related_name="price_lists",
        help_text=_("Sellers who may price their products in this list."), verbose_name=_("sellers"),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.currency})"


class ProductPrice(models.Model):
    """The price of one product in one price list.

    `tax_rate` is a fraction (0.08 = 8 %): the Seller Center reads and writes it so, Omnitron as a
    percentage (`"8.00"`), converted at its API edge. `currency_type` is the list's currency.
    Columns added after the Seller Center's batches were written carry database defaults, so
    its bulk statements, which do not name them, keep working.
    """

    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.CASCADE,
        related_name="prices",
        verbose_name=_("product"),
    )
    price_list = models.ForeignKey(
        PriceList, on_delete=models.CASCADE, related_name="prices", verbose_name=_("price list")
    )
    price = models.DecimalField(max_digits=20, decimal_places=2, verbose_name=_("price"))
    retail_price = models.DecimalField(
        max_digits=20, decimal_places=2, null=True, blank=True, verbose_name=_("retail price")
    )
    tax_rate = models.DecimalField(
        max_digits=7, decimal_places=4, default=0, verbose_name=_("tax rate")
    )
    currency_type = models.CharField(max_length=3, verbose_name=_("currency type"))
    price_type = models.CharField(
        max_length=10, choices=PriceType.choices, default=PriceType.DEFAULT,
        db_default=PriceType.DEFAULT, verbose_name=_("price type"),
    )  # fmt: skip
    discount_percentage = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, verbose_name=_("discount percentage")
    )
    extra_field = models.JSONField(
        default=dict,
        blank=True,
        db_default=models.Value({}, models.JSONField()),
        verbose_name=_("extra field"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("product price")
        verbose_name_plural = _("product prices")
        constraints = [
            models.UniqueConstraint(fields=["product", "price_list"], name="unique_product_price")
        ]

    def __str__(self) -> str:
        return f"{self.product_id} · {self.price_list}"
