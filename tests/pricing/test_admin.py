import pytest
from django.test import Client

from tests.factories import OperatorFactory, PriceListFactory, SellerFactory

pytestmark = pytest.mark.django_db


def test_price_lists_assign_sellers_with_a_horizontal_filter():
    client = Client()
    client.force_login(OperatorFactory(is_superuser=True))
    price_list = PriceListFactory(sellers=[SellerFactory(name="Acme")])
    url = f"/admin/pricing/pricelist/{price_list.pk}/change/"
    other = SellerFactory(name="Zeta")

    page = client.get(url)
    saved = client.post(
        url,
        {
            "name": price_list.name,
            "code": price_list.code,
            "currency": "EUR",
            "sellers": [str(other.id)],
        },
    )

    assert page.status_code == 200
    assert b"selectfilter" in page.content
    assert saved.status_code == 302
    price_list.refresh_from_db()
    assert price_list.currency == "EUR"
    assert list(price_list.sellers.all()) == [other]
