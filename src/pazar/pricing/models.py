import uuid

from django.db import models

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

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=255)
    code = models.CharField(max_length=100, unique=True, null=True, blank=True)
    currency = models.CharField(max_length=3, choices=[(c, c) for c in CURRENCIES])
    is_auto_sync = models.BooleanField(default=False)
    sellers = models.ManyToManyField(
        "accounts.Seller", blank=True, related_name="price_lists",
        help_text="Sellers who may price their products in this list.",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
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

    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="prices")
    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="prices")
    price = models.DecimalField(max_digits=20, decimal_places=2)
    retail_price = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    tax_rate = models.DecimalField(max_digits=7, decimal_places=4, default=0)
    currency_type = models.CharField(max_length=3)
    price_type = models.CharField(
        max_length=10, choices=PriceType.choices, default=PriceType.DEFAULT,
        db_default=PriceType.DEFAULT,
    )  # fmt: skip
    discount_percentage = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    extra_field = models.JSONField(
        default=dict, blank=True, db_default=models.Value({}, models.JSONField())
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "price_list"], name="unique_product_price")
        ]
