import uuid

from django.db import models

CURRENCIES = [
    "TRY", "USD", "EUR", "EGP", "GBP", "MAD", "PLN", "SAR", "RON", "UAH", "CZK",
    "HUF", "RUB", "BGN", "IQD", "KWD", "BHD", "OMR", "QAR", "AED", "NGN",
]  # fmt: skip


class PriceList(models.Model):
    """A list of prices in one currency (stored as the upper-case ISO code)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=255)
    code = models.CharField(max_length=100, unique=True)
    currency = models.CharField(max_length=3, choices=[(c, c) for c in CURRENCIES])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.currency})"
