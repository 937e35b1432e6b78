import pytest
from django.test import Client

from tests.factories import OperatorFactory, SellerFactory, StockListFactory

pytestmark = pytest.mark.django_db


def test_stock_lists_assign_sellers_with_a_horizontal_filter():
    client = Client()
    client.force_login(OperatorFactory(is_superuser=True))
    stock_list = StockListFactory()
    seller = SellerFactory()
    url = f"/admin/inventory/stocklist/{stock_list.pk}/change/"

    page = client.get(url)
    saved = client.post(
        url, {"name": "Warehouse", "code": stock_list.code, "sellers": [str(seller.id)]}
    )

    assert page.status_code == 200
    assert b"selectfilter" in page.content
    assert saved.status_code == 302
    assert list(stock_list.sellers.all()) == [seller]
