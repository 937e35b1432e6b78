"""Stock taken by sales, put back, and reported (pazar.inventory.services.sales)."""

import pytest

from pazar.inventory.services import SaleLine, stock_put_back, stock_sale_reported, stock_take
from tests.factories import ProductStockFactory

pytestmark = pytest.mark.django_db


def test_a_line_takes_all_its_units_or_none():
    stock = ProductStockFactory(stock=3)
    line = SaleLine(stock.product_id, stock.stock_list_id, 2)

    taken = stock_take(lines=[line, line, SaleLine(stock.product_id, stock.stock_list_id, 1)])

    stock.refresh_from_db()
    assert taken == [2, 0, 1]
    assert (stock.stock, stock.sold_quantity_unreported) == (0, 3)


def test_a_line_without_a_stock_row_takes_nothing():
    stock = ProductStockFactory(stock=3)

    assert stock_take(lines=[SaleLine(stock.product_id, stock.stock_list_id + 1000, 1)]) == [0]


def test_put_back_and_reported_sales_never_go_below_zero_unreported():
    stock = ProductStockFactory(stock=5)
    line = SaleLine(stock.product_id, stock.stock_list_id, 2)
    stock_take(lines=[line])

    stock_sale_reported(lines=[line, line])
    stock_put_back(lines=[line], reported=True)

    stock.refresh_from_db()
    assert (stock.stock, stock.sold_quantity_unreported) == (5, 0)
