import uuid

from django.db import models

CURRENCIES = [
    "TRY", "USD", "EUR", "EGP", "GBP", "MAD", "PLN", "SAR", "RON", "UAH", "CZK",
    "HUF", "RUB", "BGN", "IQD", "KWD", "BHD", "OMR", "QAR", "AED", "NGN",
]  # fmt: skip


class PriceList(models.Model):
    """A list of prices in one currency (stored as the upper-case ISO code)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=255)
    code = models.CharField(max_length=100, unique=True)
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
    """The price of one product in one price list. `tax_rate` is a fraction (0.08 = 8 %)."""

    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="prices")
    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="prices")
    price = models.DecimalField(max_digits=20, decimal_places=2)
    retail_price = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    tax_rate = models.DecimalField(max_digits=7, decimal_places=4, default=0)
    currency_type = models.CharField(max_length=3)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "price_list"], name="unique_product_price")
        ]
