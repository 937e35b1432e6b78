"""Writes of customers and addresses (the channel's order intake, orders.md §4)."""

import hashlib
import json

from django.db import IntegrityError, transaction
from rest_framework import exceptions

from pazar.channels.models import Channel
from pazar.core.services import field_error, model_update
from pazar.customers.models import Address, Customer

CUSTOMER_FIELDS = [
    "email", "phone_number", "first_name", "last_name", "channel_code", "extra_field", "is_active",
]  # fmt: skip
# What makes two addresses the same address: everything they say, the customer included.
HASHED_FIELDS = [
    "customer", "email", "phone_number", "first_name", "last_name", "country", "city",
    "township", "district", "title", "line", "postcode", "notes", "company_name", "tax_office",
    "tax_no", "e_bill_taxpayer", "identity_number", "address_type", "remote_id", "retail_store",
]  # fmt: skip


class DuplicateAddress(exceptions.ValidationError):
    """400 `{"non_field_errors": "hash_data:<hash>"}`: a string, which channel apps split to
    read the stored address with `?hash_data=<hash>` (orders.md §4.3)."""

    def __init__(self, hash_data: str) -> None:
        super().__init__({"non_field_errors": f"hash_data:{hash_data}"}, code="unique")


@transaction.atomic
def customer_create(*, channel: Channel, **fields) -> Customer:
    """A channel's customer; `fields` are among CUSTOMER_FIELDS."""
    return Customer.objects.create(channel=channel, **fields)


@transaction.atomic
def customer_update(*, customer: Customer, data: dict) -> Customer:
    """Change what the channel says changed; a customer never moves to another channel."""
    channel = data.get("channel")
    if channel is not None and channel.pk != customer.channel_id:
        raise field_error("channel", "A customer stays in its channel.", "invalid")
    model_update(instance=customer, fields=CUSTOMER_FIELDS, data=data)
    return customer


def address_hash(data: dict) -> str:
    """The md5 of what the address says, in a fixed order (related rows by pk)."""
    canonical = {}
    for name in HASHED_FIELDS:
        value = data.get(name)
        canonical[name] = getattr(value, "pk", value) if value not in ("", None) else None
    text = json.dumps(canonical, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


@transaction.atomic
def address_create(**fields) -> Address:
    """An address, stored once: a second copy is a `DuplicateAddress` naming the stored hash.

    The place fields must agree: a district lies in the township, which lies in the city, which
    lies in the country.
    """
    _check_places(fields)
    hash_data = address_hash(fields)
    if Address.objects.filter(hash_data=hash_data).exists():
        raise DuplicateAddress(hash_data)
    try:
        with transaction.atomic():
            return Address.objects.create(hash_data=hash_data, **fields)
    except IntegrityError:  # the same address stored by a concurrent request
        raise DuplicateAddress(hash_data) from None


def _check_places(fields: dict) -> None:
    country, city = fields.get("country"), fields.get("city")
    township, district = fields.get("township"), fields.get("district")
    if city is not None and country is not None and city.country_id != country.pk:
        raise field_error("city", "This city does not lie in the given country.", "place_mismatch")
    if township is not None and city is not None and township.city_id != city.pk:
        raise field_error(
            "township", "This township does not lie in the given city.", "place_mismatch"
        )
    if district is not None and (township is None or district.township_id != township.pk):
        raise field_error(
            "district", "This district does not lie in the given township.", "place_mismatch"
        )
