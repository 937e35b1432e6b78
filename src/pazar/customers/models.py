"""The people orders are for, per sales channel, and their addresses.

A channel app finds a customer by e-mail or phone number within its channel, creates it, or
patches what changed. An address is stored once: its `hash_data` (a digest of everything the
address says) is unique, and a second copy is refused with that hash so the caller can read the
stored one (orders.md §4).
"""

from django.db import models


class Customer(models.Model):
    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.PROTECT, related_name="customers"
    )
    email = models.EmailField(max_length=254, blank=True, default="")
    phone_number = models.CharField(max_length=128, blank=True, default="")
    first_name = models.CharField(max_length=255, blank=True, default="")
    last_name = models.CharField(max_length=255, blank=True, default="")
    channel_code = models.CharField(
        max_length=255, blank=True, default="", help_text="The customer's id on the channel."
    )
    extra_field = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["channel", "email"], name="customer_channel_email"),
            models.Index(fields=["channel", "phone_number"], name="customer_channel_phone"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} <{self.email or self.phone_number}>"


class AddressType(models.TextChoices):
    CUSTOMER = "customer"
    RETAIL_STORE = "retail_store"


class Address(models.Model):
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="addresses"
    )
    email = models.EmailField(max_length=254, blank=True, default="")
    phone_number = models.CharField(max_length=128, blank=True, default="")
    first_name = models.CharField(max_length=255, blank=True, default="")
    last_name = models.CharField(max_length=255, blank=True, default="")
    country = models.ForeignKey("geography.Country", on_delete=models.PROTECT, related_name="+")
    city = models.ForeignKey("geography.City", on_delete=models.PROTECT, related_name="+")
    township = models.ForeignKey(
        "geography.Township", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    district = models.ForeignKey(
        "geography.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=128, blank=True, default="")
    line = models.CharField(max_length=255)
    postcode = models.CharField(max_length=64, blank=True, default="")
    notes = models.CharField(max_length=512, blank=True, default="")
    company_name = models.CharField(max_length=255, blank=True, default="")
    tax_office = models.CharField(max_length=64, blank=True, default="")
    tax_no = models.CharField(max_length=20, blank=True, default="")
    e_bill_taxpayer = models.BooleanField(default=False)
    identity_number = models.CharField(max_length=64, blank=True, default="")
    address_type = models.CharField(
        max_length=16, choices=AddressType.choices, default=AddressType.CUSTOMER
    )
    remote_id = models.CharField(max_length=255, blank=True, default="")
    extra_field = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=True)
    hash_data = models.CharField(max_length=32, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}, {self.line}"
