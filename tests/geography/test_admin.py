import pytest
from django.test import Client

from tests.customers.factories import AddressFactory
from tests.factories import OperatorFactory
from tests.geography.factories import DistrictFactory, mapping
from tests.orders.factories import CargoCompanyFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "geography/country", "geography/city", "geography/township", "geography/district",
        "orders/cargocompany", "customers/customer", "customers/address",
    ],
)  # fmt: skip
def test_the_admin_lists_and_shows_places_cargo_companies_and_customers(path):
    client = Client()
    client.force_login(OperatorFactory(is_superuser=True))
    district = DistrictFactory()
    mapping(district.city, "1_34")
    address = AddressFactory(district=district)
    objects = {
        "geography/country": district.country,
        "geography/city": district.city,
        "geography/township": district.township,
        "geography/district": district,
        "orders/cargocompany": CargoCompanyFactory(),
        "customers/customer": address.customer,
        "customers/address": address,
    }

    listed = client.get(f"/admin/{path}/")
    shown = client.get(f"/admin/{path}/{objects[path].pk}/change/")

    assert listed.status_code == 200
    assert shown.status_code == 200
