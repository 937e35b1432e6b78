import uuid

from django.db import models


class UnitType(models.TextChoices):
    QTY = "qty"
    KG = "kg"


class StockList(models.Model):
    """A list of sellable stock per product (Omnitron's stock list)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=255)
    code = models.CharField(max_length=100, unique=True)
    is_auto_sync = models.BooleanField(default=False)
    sellers = models.ManyToManyField(
        "accounts.Seller", blank=True, related_name="stock_lists",
        help_text="Sellers who may keep their products' stock in this list.",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProductStock(models.Model):
    """The stock of one product in one stock list."""

    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="stocks")
    stock_list = models.ForeignKey(StockList, on_delete=models.CASCADE, related_name="stocks")
    stock = models.DecimalField(max_digits=20, decimal_places=3, default=0)
    unit_type = models.CharField(max_length=5, choices=UnitType.choices, default=UnitType.QTY)
    sold_quantity_unreported = models.DecimalField(max_digits=20, decimal_places=3, default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "stock_list"], name="unique_product_stock")
        ]
