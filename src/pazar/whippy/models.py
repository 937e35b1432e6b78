"""Whippy Ware (whippy-ware.md): stock per SKU per location, combined into stock lists by rules.

A `Stock` row is one SKU at one `StockLocation`; the location names its `Provider`, so the
spec's unique (sku, provider, location) triple is the unique (sku, location) pair here. A
`StockList` binds an Omnitron stock list (`remote`) to a `StockListRule`; its computed figure per
SKU is kept in `StockListResult` and written to Omnitron's product stocks.

`PendingSku` is the dirty set: a write that can change a list's figure for a SKU marks
(stock list, SKU) in its own transaction, and the background worker recomputes exactly those
(see `pazar.whippy.services.aggregation`).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class WhippyModel(models.Model):
    is_active = models.BooleanField(default=True, verbose_name=_("is active"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        abstract = True


class Provider(WhippyModel):
    """A stock source (warehouse company, store network); stock feeds name it by `code`."""

    name = models.CharField(max_length=255, verbose_name=_("name"))
    code = models.CharField(max_length=100, unique=True, verbose_name=_("code"))
    should_add_reservations = models.BooleanField(
        default=False,
        help_text=_("Rules subtract this provider's reserved stock from its stock."),
        verbose_name=_("should add reservations"),
    )

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.code


class StockLocation(WhippyModel):
    """A place where a provider holds stock; its `code` is unique within the provider."""

    name = models.CharField(max_length=255, verbose_name=_("name"))
    code = models.CharField(max_length=100, verbose_name=_("code"))
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="locations", verbose_name=_("provider")
    )

    class Meta:
        verbose_name = _("stock location")
        verbose_name_plural = _("stock locations")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "code"], name="unique_location_code")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})" if self.name else self.code


class RuleType(models.TextChoices):
    LOCATION_SUM = "location_sum", _("location sum")
    SQL = "sql", _("sql")


class StockListRule(WhippyModel):
    """How location stocks become one figure per SKU (see docs/whippy-ware.md)."""

    name = models.CharField(max_length=255, verbose_name=_("name"))
    rule_type = models.CharField(
        max_length=30, choices=RuleType.choices, verbose_name=_("rule type")
    )
    rule = models.JSONField(default=dict, blank=True, verbose_name=_("rule"))

    class Meta:
        verbose_name = _("stock list rule")
        verbose_name_plural = _("stock list rules")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class StockList(WhippyModel):
    """Fills the Omnitron stock list `remote` with the figures its rule computes."""

    name = models.CharField(max_length=255, verbose_name=_("name"))
    code = models.CharField(max_length=100, unique=True, verbose_name=_("code"))
    remote = models.OneToOneField(
        "inventory.StockList",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="whippy_stock_list",
        help_text=_("The Omnitron stock list this list writes to (`remote_id`)."),
        verbose_name=_("remote"),
    )
    stock_list_rule = models.ForeignKey(
        StockListRule,
        on_delete=models.PROTECT,
        related_name="stock_lists",
        verbose_name=_("stock list rule"),
    )

    class Meta:
        verbose_name = _("stock list")
        verbose_name_plural = _("stock lists")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.code


class UnitType(models.TextChoices):
    QTY = "qty", _("qty")
    KG = "kg", _("kg")


class Stock(WhippyModel):
    """The stock of one SKU at one location; `reserved_stock` is held for open orders."""

    sku = models.CharField(max_length=255, verbose_name=_("SKU"))
    location = models.ForeignKey(
        StockLocation, on_delete=models.CASCADE, related_name="stocks", verbose_name=_("location")
    )
    stock = models.IntegerField(default=0, verbose_name=_("stock"))
    reserved_stock = models.IntegerField(default=0, verbose_name=_("reserved stock"))
    unit_type = models.CharField(
        max_length=5, choices=UnitType.choices, default=UnitType.QTY, verbose_name=_("unit type")
    )
    stock_type = models.CharField(max_length=50, default="standard", verbose_name=_("stock type"))
    period = models.DateField(null=True, blank=True, verbose_name=_("period"))

    class Meta:
        verbose_name = _("stock")
        verbose_name_plural = _("stocks")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["sku", "location"], name="unique_stock_sku_location"),
            models.CheckConstraint(
                condition=Q(reserved_stock__gte=0), name="stock_reserved_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["updated_at"], name="stock_updated")]

    def __str__(self) -> str:
        return f"{self.sku}@{self.location_id}"

    @property
    def available_stock(self) -> int:
        return max(0, self.stock - self.reserved_stock)


class StockListResult(models.Model):
    """The figure a stock list's rule gives a SKU, as last computed."""

    stock_list = models.ForeignKey(
        StockList, on_delete=models.CASCADE, related_name="results", verbose_name=_("stock list")
    )
    sku = models.CharField(max_length=255, verbose_name=_("SKU"))
    stock = models.IntegerField(verbose_name=_("stock"))
    unit_type = models.CharField(
        max_length=5, choices=UnitType.choices, default=UnitType.QTY, verbose_name=_("unit type")
    )
    computed_at = models.DateTimeField(verbose_name=_("computed at"))

    class Meta:
        verbose_name = _("stock list result")
        verbose_name_plural = _("stock list results")
        constraints = [
            models.UniqueConstraint(fields=["stock_list", "sku"], name="unique_result_sku"),
            models.CheckConstraint(condition=Q(stock__gte=0), name="result_not_negative"),
        ]


class PendingSku(models.Model):
    """(stock list, SKU) whose figure may have changed and waits for the worker."""

    stock_list = models.ForeignKey(
        StockList, on_delete=models.CASCADE, related_name="pending", verbose_name=_("stock list")
    )
    sku = models.CharField(max_length=255, verbose_name=_("SKU"))
    marked_at = models.DateTimeField(verbose_name=_("marked at"))

    class Meta:
        verbose_name = _("pending SKU")
        verbose_name_plural = _("pending SKUs")
        constraints = [
            models.UniqueConstraint(fields=["stock_list", "sku"], name="unique_pending_sku")
        ]
