"""A sales channel's customers and addresses (`customers/`, `addresses/`)."""

import pytest

from pazar.customers.models import Address, Customer
from tests.channels.factories import ChannelFactory
from tests.customers.factories import AddressFactory, CustomerFactory
from tests.geography.factories import DistrictFactory, TownshipFactory

pytestmark = pytest.mark.django_db


def url(channel, path):
    return f"/omnitron/api/v1/channel/{channel.pk}/{path}"


CUSTOMER = {
    "email": "ayse@example.com", "phone_number": "05556667788", "first_name": "Ayşe",
    "last_name": "Yılmaz", "extra_field": {}, "channel_code": "C-1", "is_active": True,
}  # fmt: skip


def test_a_channel_creates_finds_and_patches_its_customer(operator_client):
    channel = ChannelFactory()

    created = operator_client.post(
        url(channel, "customers/"), {**CUSTOMER, "channel": channel.pk}, format="json"
    )
    by_email = operator_client.get(
        url(channel, "customers/"), {"email": "ayse@example.com", "channel": channel.pk}
    )
    by_phone = operator_client.get(url(channel, "customers/"), {"phone_number": "05556667788"})
    pk = created.json()["pk"]
    patched = operator_client.patch(
        url(channel, f"customers/{pk}/"),
        {"channel": channel.pk, "channel_code": "C-1", "last_name": "Demir"},
        format="json",
    )

    assert created.status_code == 201, created.content
    assert created.json()["channel"] == channel.pk
    assert [row["pk"] for row in by_email.json()["results"]] == [pk]
    assert [row["pk"] for row in by_phone.json()["results"]] == [pk]
    assert patched.status_code == 200
    assert Customer.objects.get().last_name == "Demir"


def test_a_channel_sees_only_its_own_customers(operator_client):
    mine, theirs = ChannelFactory(), CustomerFactory(email="x@example.com")

    listed = operator_client.get(url(mine, "customers/"), {"email": "x@example.com"})
    read = operator_client.get(url(mine, f"customers/{theirs.pk}/"))
    moved = operator_client.patch(
        url(theirs.channel, f"customers/{theirs.pk}/"), {"channel": mine.pk}, format="json"
    )
    created_elsewhere = operator_client.post(
        url(mine, "customers/"), {**CUSTOMER, "channel": theirs.channel_id}, format="json"
    )

    assert listed.json()["results"] == []
    assert read.status_code == 404
    assert moved.status_code == 400 and list(moved.json()) == ["channel"]
    assert created_elsewhere.status_code == 400
    assert Customer.objects.count() == 1


def address_body(customer, district):
    return {
        "email": "ayse@example.com", "phone_number": "05556667788", "first_name": "Ayşe",
        "last_name": "Yılmaz", "customer": customer.pk, "country": district.country_id,
        "city": district.city_id, "township": district.township_id, "district": district.pk,
        "title": None, "line": "Moda Caddesi 1", "postcode": None, "notes": None,
        "company_name": None, "tax_office": None, "tax_no": None, "e_bill_taxpayer": False,
        "remote_id": None, "identity_number": None, "extra_field": {}, "retail_store": None,
    }  # fmt: skip


def test_an_address_is_stored_once_and_a_copy_names_its_hash_as_a_string(operator_client):
    customer, district = CustomerFactory(), DistrictFactory()
    channel = customer.channel

    created = operator_client.post(
        url(channel, "addresses/"), address_body(customer, district), format="json"
    )
    again = operator_client.post(
        url(channel, "addresses/"), address_body(customer, district), format="json"
    )
    hash_data = created.json()["hash_data"]
    found = operator_client.get(url(channel, "addresses/"), {"hash_data": hash_data})

    assert created.status_code == 201, created.content
    assert len(hash_data) == 32
    assert again.status_code == 400
    assert again.json() == {"non_field_errors": f"hash_data:{hash_data}"}
    # What channel apps do with it: split off the hash, then read the stored address.
    assert again.json()["non_field_errors"].split()[0].split(":") == ["hash_data", hash_data]
    assert [row["pk"] for row in found.json()["results"]] == [Address.objects.get().pk]


def test_another_line_is_another_address(operator_client):
    customer, district = CustomerFactory(), DistrictFactory()
    operator_client.post(
        url(customer.channel, "addresses/"), address_body(customer, district), format="json"
    )

    response = operator_client.post(
        url(customer.channel, "addresses/"),
        {**address_body(customer, district), "line": "Moda Caddesi 2"},
        format="json",
    )

    assert response.status_code == 201
    assert Address.objects.count() == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"township": "other"}, "township"),
        ({"city": 999999}, "city"),
        ({"country": "TR"}, "country"),
        ({"line": None}, "line"),
        ({"customer": "foreign"}, "customer"),
    ],
)
def test_a_bad_address_is_a_400_naming_the_field(operator_client, change, field):
    customer, district = CustomerFactory(), DistrictFactory()
    body = address_body(customer, district)
    body.update(change)
    if body["township"] == "other":
        body["township"] = TownshipFactory().pk
    if body["customer"] == "foreign":
        body["customer"] = CustomerFactory().pk

    response = operator_client.post(url(customer.channel, "addresses/"), body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Address.objects.exists()


def test_addresses_of_other_channels_are_not_found(operator_client):
    address = AddressFactory()

    response = operator_client.get(url(ChannelFactory(), f"addresses/{address.pk}/"))

    assert response.status_code == 404
