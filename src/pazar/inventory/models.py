import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitType(models.TextChoices):
    QTY = "qty", _("qty")
    KG = "kg", _("kg")


class StockList(models.Model):
    """A list of sellable stock per product (Omnitron's stock list).

    `code` is the ERP's id of the list: unique when set, needed when `is_auto_sync` (§8).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("UUID"))
    name = models.CharField(max_length=255, verbose_name=_("name"))
    code = models.CharField(
        max_length=100, unique=True, null=True, blank=True, verbose_name=_("code")
    )
    is_auto_sync = models.BooleanField(default=False, verbose_name=_("is auto sync"))
    sellers = models.ManyToManyField(
        "accounts.Seller", blank=True, related_name="stock_lists",
        help_text=_("Sellers who may keep their products' stock in this list."), verbose_name=_("sellers"),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("stock list")
        verbose_name_plural = _("stock lists")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProductStock(models.Model):
    """The stock of one product in one stock list.

    `stock` and `sold_quantity_unreported` are decimals so that products sold by weight (`kg`)
    keep their grams; a row counted in units (`qty`) only ever holds whole numbers.
    """

    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.CASCADE,
        related_name="stocks",
        verbose_name=_("product"),
    )
    stock_list = models.ForeignKey(
        StockList, on_delete=models.CASCADE, related_name="stocks", verbose_name=_("stock list")
    )
    stock = models.DecimalField(max_digits=20, decimal_places=3, default=0, verbose_name=_("stock"))
    unit_type = models.CharField(
        max_length=5, choices=UnitType.choices, default=UnitType.QTY, verbose_name=_("unit type")
    )
    sold_quantity_unreported = models.DecimalField(
        max_digits=20, decimal_places=3, default=0, verbose_name=_("sold quantity unreported")
    )
    # With a database default: the Seller Center's bulk statements do not name this column.
    extra_field = models.JSONField(
        default=dict,
        blank=True,
        db_default=models.Value({}, models.JSONField()),
        verbose_name=_("extra field"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("product stock")
        verbose_name_plural = _("product stocks")
        constraints = [
            models.UniqueConstraint(fields=["product", "stock_list"], name="unique_product_stock")
        ]

    def __str__(self) -> str:
        return f"{self.product_id} · {self.stock_list}"
