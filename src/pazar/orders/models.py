"""Orders from sales channels, their items, and the shipping companies that carry them.

Exactly one order exists per (channel, number): the database refuses a second, so a retried or
concurrent import of the same order finds the first. An item that found no stock at intake is
still recorded (the sale happened on the channel) and marked `oversold`.
"""

from django.conf import settings
from django.db import models


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
    WAITING = "waiting"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"


class CargoCompany(models.Model):
    """A shipping company; channels match it on `erp_code`."""

    name = models.CharField(max_length=255)
    erp_code = models.CharField(max_length=64, unique=True)
    shipping_company = models.CharField(
        max_length=64, blank=True, default="", help_text="The carrier's slug, e.g. `yurtici`."
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name_plural = "cargo companies"

    def __str__(self) -> str:
        return self.name


class Order(models.Model):
    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(max_length=128)
    status = models.CharField(
        max_length=4, choices=OrderItemStatus.choices, default=OrderItemStatus.APPROVED
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="orders"
    )
    shipping_address = models.ForeignKey(
        "customers.Address", on_delete=models.PROTECT, related_name="+"
    )
    billing_address = models.ForeignKey(
        "customers.Address", on_delete=models.PROTECT, related_name="+"
    )
    currency = models.CharField(max_length=8)
    amount = models.DecimalField(max_digits=20, decimal_places=2)
    shipping_amount = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    shipping_tax_rate = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    discount_amount = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    net_shipping_amount = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    installment_interest_amount = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    extra_field = models.JSONField(default=dict, blank=True)
    delivery_type = models.CharField(max_length=64, blank=True, default="")
    cargo_company = models.ForeignKey(
        CargoCompany, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    tracking_number = models.CharField(max_length=256, blank=True, default="")
    carrier_shipping_code = models.CharField(max_length=256, blank=True, default="")
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    has_gift_box = models.BooleanField(default=False)
    gift_box_note = models.CharField(max_length=160, blank=True, default="")
    client_type = models.CharField(max_length=32, default="default")
    language_code = models.CharField(max_length=16, blank=True, default="")
    notes = models.CharField(max_length=320, blank=True, default="")
    delivery_range = models.JSONField(null=True, blank=True)
    shipping_option_slug = models.CharField(max_length=128, blank=True, default="")
    date_placed = models.DateTimeField()
    is_send = models.BooleanField(default=False, help_text="Sent to the ERP.")
    cancel_status = models.CharField(
        max_length=16, choices=CancelStatus.choices, blank=True, default=""
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "number"], name="unique_channel_order")
        ]
        indexes = [
            models.Index(fields=["number"], name="order_number"),
            models.Index(fields=["date_placed"], name="order_date_placed"),
        ]

    def __str__(self) -> str:
        return self.number


class OrderItem(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=4, choices=OrderItemStatus.choices, default=OrderItemStatus.APPROVED
    )
    quantity = models.PositiveIntegerField(default=1)
    price_currency = models.CharField(max_length=8)
    price = models.DecimalField(max_digits=20, decimal_places=2)
    tax_rate = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    retail_price = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    discount_amount = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    price_list = models.ForeignKey(
        "pricing.PriceList", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stock_list = models.ForeignKey(
        "inventory.StockList", on_delete=models.PROTECT, related_name="+"
    )
    extra_field = models.JSONField(default=dict, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    attributes_kwargs = models.JSONField(default=dict, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children"
    )
    tracking_number = models.CharField(max_length=256, blank=True, default="")
    carrier_shipping_code = models.CharField(max_length=256, blank=True, default="")
    shipping_company = models.ForeignKey(
        CargoCompany, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    invoice_number = models.CharField(max_length=64, blank=True, default="")
    invoice_date = models.DateTimeField(null=True, blank=True)
    e_archive_url = models.URLField(max_length=512, blank=True, default="")
    delivered_date = models.DateTimeField(null=True, blank=True)
    estimated_delivery_date = models.DateTimeField(null=True, blank=True)
    cancel_status = models.CharField(
        max_length=16, choices=CancelStatus.choices, blank=True, default=""
    )
    # Stock bookkeeping: what intake took from the stock list, and whether the ERP has the sale.
    stock_taken = models.PositiveIntegerField(default=0)
    oversold = models.BooleanField(
        default=False, help_text="No stock was left for this item when the order arrived."
    )
    stock_released = models.BooleanField(
        default=False, help_text="The ERP mapped the item; its sale is no longer unreported."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["oversold"], condition=models.Q(oversold=True), name="oversold")
        ]

    def __str__(self) -> str:
        return f"{self.order.number} #{self.pk}"


class OrderItemEvent(models.Model):
    """One status move of an order item: from, to, who and when."""

    order_item = models.ForeignKey(OrderItem, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=4, blank=True, default="")
    to_status = models.CharField(max_length=4)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]


class OrderItemMapping(models.Model):
    """An order item's id on another system, e.g. the ERP's line id (`create_mapping`)."""

    order_item = models.ForeignKey(OrderItem, on_delete=models.CASCADE, related_name="mappings")
    integration_type = models.CharField(max_length=32, default="external_company")
    code = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["order_item", "integration_type"], name="unique_order_item_mapping"
            )
        ]
