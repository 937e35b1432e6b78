"""Orders from sales channels, their items, and the shipping companies that carry them.

Exactly one order exists per (channel, number): the database refuses a second, so a retried or
concurrent import of the same order finds the first. An item that found no stock at intake is
still recorded (the sale happened on the channel) and marked `oversold`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderItemStatus(models.TextChoices):
    """Omnitron's order item status codes (orders.md §2)."""

    CANCELLATION_WAITING = "50", "cancellation_waiting"
    CANCELLED = "100", "cancelled"
    WAITING = "200", "waiting"
    PAYMENT_WAITING = "300", "payment_waiting"
    CONFIRMATION_WAITING = "350", "confirmation_waiting"
    APPROVED = "400", "approved"
    PREPARING = "450", "preparing"
    SHIPPED = "500", "shipped"
    SHIPPED_AND_INFORMED = "510", "shipped_and_informed"
    READY_FOR_PICKUP = "520", "ready_for_pickup"
    ATTEMPTED_DELIVERY = "540", "attempted_delivery"
    REVIEW_STARTED = "544", "review_started"
    REVIEW_WAITING = "545", "review_waiting"
    DELIVERED = "550", "delivered"


class CancelStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CONFIRMED = "confirmed", _("Confirmed")
    COMPLETED = "completed", _("Completed")


class CargoCompany(models.Model):
    """A shipping company; channels match it on `erp_code`."""

    name = models.CharField(max_length=255, verbose_name=_("name"))
    erp_code = models.CharField(max_length=64, unique=True, verbose_name=_("erp code"))
    shipping_company = models.CharField(
        max_length=64,
        blank=True,
        default="",
        help_text=_("The carrier's slug, e.g. `yurtici`."),
        verbose_name=_("shipping company"),
    )
    is_active = models.BooleanField(default=True, verbose_name=_("is active"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["name", "pk"]
        verbose_name_plural = _("cargo companies")
        verbose_name = _("cargo company")

    def __str__(self) -> str:
        return self.name


class Order(models.Model):
    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.PROTECT, related_name="+", verbose_name=_("channel")
    )
    number = models.CharField(max_length=128, verbose_name=_("number"))
    status = models.CharField(
        max_length=4,
        choices=OrderItemStatus.choices,
        default=OrderItemStatus.APPROVED,
        verbose_name=_("status"),
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("customer"),
    )
    shipping_address = models.ForeignKey(
        "customers.Address",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("shipping address"),
    )
    billing_address = models.ForeignKey(
        "customers.Address",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("billing address"),
    )
    currency = models.CharField(max_length=8, verbose_name=_("currency"))
    amount = models.DecimalField(max_digits=20, decimal_places=2, verbose_name=_("amount"))
    shipping_amount = models.DecimalField(
        max_digits=20, decimal_places=2, default=0, verbose_name=_("shipping amount")
    )
    shipping_tax_rate = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, verbose_name=_("shipping tax rate")
    )
    discount_amount = models.DecimalField(
        max_digits=20, decimal_places=2, default=0, verbose_name=_("discount amount")
    )
    net_shipping_amount = models.DecimalField(
        max_digits=20, decimal_places=2, default=0, verbose_name=_("net shipping amount")
    )
    installment_interest_amount = models.DecimalField(
        max_digits=20, decimal_places=2, default=0, verbose_name=_("installment interest amount")
    )
    extra_field = models.JSONField(default=dict, blank=True, verbose_name=_("extra field"))
    delivery_type = models.CharField(
        max_length=64, blank=True, default="", verbose_name=_("delivery type")
    )
    cargo_company = models.ForeignKey(
        CargoCompany,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cargo company"),
    )
    tracking_number = models.CharField(
        max_length=256, blank=True, default="", verbose_name=_("tracking number")
    )
    carrier_shipping_code = models.CharField(
        max_length=256, blank=True, default="", verbose_name=_("carrier shipping code")
    )
    remote_addr = models.GenericIPAddressField(null=True, blank=True, verbose_name=_("remote addr"))
    has_gift_box = models.BooleanField(default=False, verbose_name=_("has gift box"))
    gift_box_note = models.CharField(
        max_length=160, blank=True, default="", verbose_name=_("gift box note")
    )
    client_type = models.CharField(max_length=32, default="default", verbose_name=_("client type"))
    language_code = models.CharField(
        max_length=16, blank=True, default="", verbose_name=_("language code")
    )
    notes = models.CharField(max_length=320, blank=True, default="", verbose_name=_("notes"))
    delivery_range = models.JSONField(null=True, blank=True, verbose_name=_("delivery range"))
    shipping_option_slug = models.CharField(
        max_length=128, blank=True, default="", verbose_name=_("shipping option slug")
    )
    date_placed = models.DateTimeField(verbose_name=_("date placed"))
    is_send = models.BooleanField(
        default=False, help_text=_("Sent to the ERP."), verbose_name=_("is send")
    )
    cancel_status = models.CharField(
        max_length=16,
        choices=CancelStatus.choices,
        blank=True,
        default="",
        verbose_name=_("cancel status"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "number"], name="unique_channel_order")
        ]
        indexes = [
            models.Index(fields=["number"], name="order_number"),
            models.Index(fields=["date_placed"], name="order_date_placed"),
        ]
        verbose_name = _("order")
        verbose_name_plural = _("orders")

    def __str__(self) -> str:
        return self.number


class OrderItem(models.Model):
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="items", verbose_name=_("order")
    )
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    status = models.CharField(
        max_length=4,
        choices=OrderItemStatus.choices,
        default=OrderItemStatus.APPROVED,
        verbose_name=_("status"),
    )
    quantity = models.PositiveIntegerField(default=1, verbose_name=_("quantity"))
    price_currency = models.CharField(max_length=8, verbose_name=_("price currency"))
    price = models.DecimalField(max_digits=20, decimal_places=2, verbose_name=_("price"))
    tax_rate = models.DecimalField(
        max_digits=5, decimal_places=2, default=0, verbose_name=_("tax rate")
    )
    retail_price = models.DecimalField(
        max_digits=20, decimal_places=2, null=True, blank=True, verbose_name=_("retail price")
    )
    discount_amount = models.DecimalField(
        max_digits=20, decimal_places=2, default=0, verbose_name=_("discount amount")
    )
    price_list = models.ForeignKey(
        "pricing.PriceList",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("price list"),
    )
    stock_list = models.ForeignKey(
        "inventory.StockList",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("stock list"),
    )
    extra_field = models.JSONField(default=dict, blank=True, verbose_name=_("extra field"))
    attributes = models.JSONField(default=dict, blank=True, verbose_name=_("attributes"))
    attributes_kwargs = models.JSONField(
        default=dict, blank=True, verbose_name=_("attributes kwargs")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    tracking_number = models.CharField(
        max_length=256, blank=True, default="", verbose_name=_("tracking number")
    )
    carrier_shipping_code = models.CharField(
        max_length=256, blank=True, default="", verbose_name=_("carrier shipping code")
    )
    shipping_company = models.ForeignKey(
        CargoCompany,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shipping company"),
    )
    invoice_number = models.CharField(
        max_length=64, blank=True, default="", verbose_name=_("invoice number")
    )
    invoice_date = models.DateTimeField(null=True, blank=True, verbose_name=_("invoice date"))
    e_archive_url = models.URLField(
        max_length=512, blank=True, default="", verbose_name=_("e archive url")
    )
    delivered_date = models.DateTimeField(null=True, blank=True, verbose_name=_("delivered date"))
    estimated_delivery_date = models.DateTimeField(
        null=True, blank=True, verbose_name=_("estimated delivery date")
    )
    cancel_status = models.CharField(
        max_length=16,
        choices=CancelStatus.choices,
        blank=True,
        default="",
        verbose_name=_("cancel status"),
    )
    # Stock bookkeeping: what intake took from the stock list, and whether the ERP has the sale.
    stock_taken = models.PositiveIntegerField(default=0, verbose_name=_("stock taken"))
    oversold = models.BooleanField(
        default=False,
        help_text=_("No stock was left for this item when the order arrived."),
        verbose_name=_("oversold"),
    )
    stock_released = models.BooleanField(
        default=False,
        help_text=_("The ERP mapped the item; its sale is no longer unreported."),
        verbose_name=_("stock released"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["oversold"], condition=models.Q(oversold=True), name="oversold")
        ]
        verbose_name = _("order item")
        verbose_name_plural = _("order items")

    def __str__(self) -> str:
        return f"{self.order.number} #{self.pk}"


class OrderItemEvent(models.Model):
    """One status move of an order item: from, to, who and when."""

    order_item = models.ForeignKey(
        OrderItem, on_delete=models.CASCADE, related_name="events", verbose_name=_("order item")
    )
    from_status = models.CharField(
        max_length=4, blank=True, default="", verbose_name=_("from status")
    )
    to_status = models.CharField(max_length=4, verbose_name=_("to status"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    reason = models.CharField(max_length=255, blank=True, default="", verbose_name=_("reason"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("order item event")
        verbose_name_plural = _("order item events")


class OrderItemMapping(models.Model):
    """An order item's id on another system, e.g. the ERP's line id (`create_mapping`)."""

    order_item = models.ForeignKey(
        OrderItem, on_delete=models.CASCADE, related_name="mappings", verbose_name=_("order item")
    )
    integration_type = models.CharField(
        max_length=32, default="external_company", verbose_name=_("integration type")
    )
    code = models.CharField(max_length=255, verbose_name=_("code"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["order_item", "integration_type"], name="unique_order_item_mapping"
            )
        ]
        verbose_name = _("order item mapping")
        verbose_name_plural = _("order item mappings")
