"""The people orders are for, per sales channel, and their addresses.

A channel app finds a customer by e-mail or phone number within its channel, creates it, or
patches what changed. An address is stored once: its `hash_data` (a digest of everything the
address says) is unique, and a second copy is refused with that hash so the caller can read the
stored one (orders.md §4).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Customer(models.Model):
    channel = models.ForeignKey(
        "channels.Channel",
        on_delete=models.PROTECT,
        related_name="customers",
        verbose_name=_("channel"),
    )
    email = models.EmailField(max_length=254, blank=True, default="", verbose_name=_("email"))
    phone_number = models.CharField(
        max_length=128, blank=True, default="", verbose_name=_("phone number")
    )
    first_name = models.CharField(
        max_length=255, blank=True, default="", verbose_name=_("first name")
    )
    last_name = models.CharField(
        max_length=255, blank=True, default="", verbose_name=_("last name")
    )
    channel_code = models.CharField(
        max_length=255,
        blank=True,
        default="",
        help_text=_("The customer's id on the channel."),
        verbose_name=_("channel code"),
    )
    extra_field = models.JSONField(default=dict, blank=True, verbose_name=_("extra field"))
    is_active = models.BooleanField(default=True, verbose_name=_("is active"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["channel", "email"], name="customer_channel_email"),
            models.Index(fields=["channel", "phone_number"], name="customer_channel_phone"),
        ]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} <{self.email or self.phone_number}>"


class AddressType(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    RETAIL_STORE = "retail_store", _("Retail Store")


class Address(models.Model):
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="addresses",
        verbose_name=_("customer"),
    )
    email = models.EmailField(max_length=254, blank=True, default="", verbose_name=_("email"))
    phone_number = models.CharField(
        max_length=128, blank=True, default="", verbose_name=_("phone number")
    )
    first_name = models.CharField(
        max_length=255, blank=True, default="", verbose_name=_("first name")
    )
    last_name = models.CharField(
        max_length=255, blank=True, default="", verbose_name=_("last name")
    )
    country = models.ForeignKey(
        "geography.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    city = models.ForeignKey(
        "geography.City", on_delete=models.PROTECT, related_name="+", verbose_name=_("city")
    )
    township = models.ForeignKey(
        "geography.Township",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("township"),
    )
    district = models.ForeignKey(
        "geography.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    title = models.CharField(max_length=128, blank=True, default="", verbose_name=_("title"))
    line = models.CharField(max_length=255, verbose_name=_("line"))
    postcode = models.CharField(max_length=64, blank=True, default="", verbose_name=_("postcode"))
    notes = models.CharField(max_length=512, blank=True, default="", verbose_name=_("notes"))
    company_name = models.CharField(
        max_length=255, blank=True, default="", verbose_name=_("company name")
    )
    tax_office = models.CharField(
        max_length=64, blank=True, default="", verbose_name=_("tax office")
    )
    tax_no = models.CharField(max_length=20, blank=True, default="", verbose_name=_("tax no"))
    e_bill_taxpayer = models.BooleanField(default=False, verbose_name=_("e bill taxpayer"))
    identity_number = models.CharField(
        max_length=64, blank=True, default="", verbose_name=_("identity number")
    )
    address_type = models.CharField(
        max_length=16,
        choices=AddressType.choices,
        default=AddressType.CUSTOMER,
        verbose_name=_("address type"),
    )
    remote_id = models.CharField(
        max_length=255, blank=True, default="", verbose_name=_("remote id")
    )
    extra_field = models.JSONField(default=dict, blank=True, verbose_name=_("extra field"))
    is_active = models.BooleanField(default=True, verbose_name=_("is active"))
    hash_data = models.CharField(
        max_length=32, unique=True, editable=False, verbose_name=_("hash data")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = _("addresses")
        verbose_name = _("address")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}, {self.line}"
